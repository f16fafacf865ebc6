'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote } from '../../ui/card';
import { Field, TextInput } from '../../ui/field';
import { Pill } from '../../ui/pill';
import { SecretReveal } from '../../ui/secret-reveal';
import { ShownOnceContext, useShownOnceGuard } from '../../ui/shown-once';
import { TimeAgo } from '../../ui/time';

type ApiKey = RouterOutputs['apiKey']['list'][number];
const KEYS = ['apiKey.list'] as const;

/** The account's own API keys: create (shown once), name, revoke, see when each was last used. */
export function ApiKeysPanel({ initial, isAdmin }: { initial: ApiKey[]; isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: KEYS, queryFn: () => trpc.apiKey.list.query(), initialData: initial, initialDataUpdatedAt: Date.now() });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (n: string) => trpc.apiKey.create.mutate({ name: n }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => trpc.apiKey.revoke.mutate({ id }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEYS }),
  });
  const shownOnce = useShownOnceGuard('API key', Boolean(create.data));
  function submit(e: FormEvent) {
    e.preventDefault();
    shownOnce.guard(() => create.mutate(name));
  }
  return (
    <Card
      title="API keys"
      description={
        isAdmin
          ? 'Send a key as the admintoken header. Keys of an admin account reach every session, like the admin token.'
          : 'Send a key as the admintoken header: it creates, lists and deletes only your own sessions. Server-wide routes refuse it.'
      }
    >
      <div className="flex flex-col gap-4">
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1 basis-56">
            <Field label="Key name" hint="What uses it, e.g. “CRM integration”.">
              <TextInput value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="CRM integration" />
            </Field>
          </div>
          <Button type="submit" busy={create.isPending} className="mb-5">Create key</Button>
        </form>
        <ErrorNote>{(create.error && errorMessage(create.error)) || (revoke.error && errorMessage(revoke.error))}</ErrorNote>
        {create.data && (
          <ShownOnceContext.Provider value={shownOnce.context}>
            <SecretReveal label={`API key “${create.data.apiKey.name}”`} value={create.data.key} note="Copy it now: it is shown only this once (WaGo keeps only its hash)." />
            <div>
              <Button variant="ghost" onClick={() => shownOnce.guard(() => create.reset())}>Done, hide it</Button>
            </div>
            {shownOnce.confirm}
          </ShownOnceContext.Provider>
        )}
        {keys.data.length === 0 ? (
          <EmptyState title="No API keys yet" />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="api-keys">
            {keys.data.map((k) => (
              <li key={k.id} data-testid="api-key" data-key-id={k.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-3 text-sm">
                <span className="min-w-0 flex-1 basis-40 font-medium text-slate-900 break-words">{k.name}</span>
                <span className="font-mono text-xs text-slate-500">{k.prefix}…</span>
                <span className="text-slate-500">last used <TimeAgo iso={k.lastUsedAt} empty="never" /></span>
                {k.revokedAt ? (
                  <Pill tone="grey">revoked</Pill>
                ) : (
                  <Button variant="ghost" className="text-rose-700" busy={revoke.isPending && revoke.variables === k.id} onClick={() => revoke.mutate(k.id)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
