'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { Card, ErrorNote, Spinner } from '../../ui/card';
import { inputClass } from '../../ui/field';

type Settings = RouterOutputs['sessionSettings']['get'];
type Toggle = 'rejectCalls' | 'ignoreGroups' | 'ignoreStatus' | 'alwaysOnline' | 'readOnReceipt';

const TOGGLES: Array<{ key: Toggle; label: string; hint: string }> = [
  { key: 'rejectCalls', label: 'Reject calls', hint: 'Incoming calls are declined as they ring.' },
  { key: 'ignoreGroups', label: 'Ignore groups', hint: 'Group messages are neither stored nor sent as events or webhooks.' },
  { key: 'ignoreStatus', label: 'Ignore status posts', hint: 'Status updates (status@broadcast) are dropped.' },
  { key: 'alwaysOnline', label: 'Always online', hint: 'Contacts see the account online while the session is connected.' },
  { key: 'readOnReceipt', label: 'Mark read on receipt', hint: 'Incoming messages get read receipts (blue ticks) at once.' },
];

/** The session's behaviour settings (the same as GET/POST /session/settings), applied at once to the connection. */
export function SettingsPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const key = ['sessionSettings.get', sessionId];
  const settings = useQuery({ queryKey: key, queryFn: () => trpc.sessionSettings.get.query({ sessionId }) });
  const update = useMutation({
    mutationFn: (patch: Partial<Settings>) => trpc.sessionSettings.update.mutate({ sessionId, ...patch }),
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
  const [message, setMessage] = useState('');
  useEffect(() => setMessage(settings.data?.rejectCallMessage ?? ''), [settings.data?.rejectCallMessage]);
  const s = settings.data;
  return (
    <Card className={className} title="Settings" description="Enforced by WaGo on this session's connection; changes apply at once.">
      {!s ? (
        settings.error ? <ErrorNote>{errorMessage(settings.error)}</ErrorNote> : <Spinner />
      ) : (
        <div className="flex flex-col gap-3" data-testid="session-settings">
          {TOGGLES.map((t) => (
            <label key={t.key} className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 h-4 w-4 rounded border-slate-300"
                checked={s[t.key]}
                disabled={update.isPending}
                onChange={(e) => update.mutate({ [t.key]: e.target.checked })}
              />
              <span>
                <span className="font-medium text-slate-800">{t.label}</span>
                <span className="block text-xs text-slate-500">{t.hint}</span>
              </span>
            </label>
          ))}
          <form
            className="flex flex-col gap-2 pl-7 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ rejectCallMessage: message });
            }}
          >
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-700">Message to a rejected caller</span>
              <textarea className={inputClass} rows={2} maxLength={4096} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Optional, e.g. “We can’t take calls; please write.”" />
            </label>
            <div>
              <Button type="submit" variant="secondary" busy={update.isPending && 'rejectCallMessage' in (update.variables ?? {})} disabled={message === (s.rejectCallMessage ?? '')}>
                Save message
              </Button>
            </div>
          </form>
          <ErrorNote>{update.error && errorMessage(update.error)}</ErrorNote>
        </div>
      )}
    </Card>
  );
}
