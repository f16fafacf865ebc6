'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { Card, ErrorNote, Spinner } from '../../ui/card';
import { Field, TextInput, inputClass } from '../../ui/field';
import { SecretReveal } from '../../ui/secret-reveal';
import { ShownOnceContext, useShownOnceGuard } from '../../ui/shown-once';
import { EVENT_TYPES, type EventType } from '../../../server/events/types';

type WebhookSettings = RouterOutputs['webhook']['get'];
type Format = WebhookSettings['Format'];
type Subscription = 'All' | EventType;

/** The types a webhook can subscribe to ("Test" events are always sent). */
const SUBSCRIBABLE = EVENT_TYPES.filter((t) => t !== 'Test');

export const webhookKey = (sessionId: string) => ['webhook.get', sessionId] as const;

/** Where the session's events are POSTed, which ones, in what format, signed with which secret. */
export function WebhookPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: webhookKey(sessionId), queryFn: () => trpc.webhook.get.query({ sessionId }) });
  const update = useMutation({
    mutationFn: (input: { url: string; events: Subscription[]; format: Format; rotateSecret: boolean }) => trpc.webhook.update.mutate({ sessionId, ...input }),
    onSuccess: (answer) => {
      const saved: WebhookSettings = { WebhookURL: answer.WebhookURL, Events: answer.Events, Format: answer.Format, HasSecret: answer.HasSecret };
      queryClient.setQueryData<WebhookSettings>(webhookKey(sessionId), saved);
    },
  });
  const test = useMutation({
    mutationFn: () => trpc.webhook.test.mutate({ sessionId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['webhook.deliveries', sessionId] }),
  });
  const enabled = Boolean(settings.data?.WebhookURL);
  const shownOnce = useShownOnceGuard('signing secret', Boolean(update.data?.Secret));

  return (
    <Card
      className={className}
      title="Webhook"
      description="WaGo POSTs this session’s events to your URL, signed with the session’s secret."
      actions={
        <Button variant="secondary" onClick={() => test.mutate()} busy={test.isPending} disabled={!enabled} title={enabled ? undefined : 'Set a webhook URL first'}>
          Send test event
        </Button>
      }
    >
      {settings.isPending ? (
        <Spinner label="Loading webhook settings" />
      ) : settings.error ? (
        <ErrorNote>{errorMessage(settings.error)}</ErrorNote>
      ) : (
        <div className="flex flex-col gap-4">
          {!enabled && (
            <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600" data-testid="webhook-off">
              Webhooks are off: no URL is set. Enter one to receive this session’s events.
            </p>
          )}
          {test.data && (
            <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="webhook-test-result">
              Test event queued · id <span className="font-mono">{test.data.EventId}</span>. Follow it under Deliveries.
            </p>
          )}
          <ErrorNote>{test.error && `Test event: ${errorMessage(test.error, { action: true })}`}</ErrorNote>
          {update.data?.Secret && (
            <ShownOnceContext.Provider value={shownOnce.context}>
              <SecretReveal
                label="Webhook signing secret"
                value={update.data.Secret}
                note="Verify each delivery’s signature with it. Copy it now: it is shown only this once."
              />
              <div>
                <Button variant="ghost" onClick={() => shownOnce.guard(() => update.reset())}>Done, hide it</Button>
              </div>
              {shownOnce.confirm}
            </ShownOnceContext.Provider>
          )}
          <WebhookForm
            key={JSON.stringify(settings.data)}
            initial={settings.data}
            busy={update.isPending}
            error={update.error ? errorMessage(update.error, { action: true }) : null}
            saved={update.isSuccess}
            onSave={(input) => shownOnce.guard(() => update.mutate(input))}
          />
        </div>
      )}
    </Card>
  );
}

function WebhookForm({
  initial,
  busy,
  error,
  saved,
  onSave,
}: {
  initial: WebhookSettings;
  busy: boolean;
  error: string | null;
  saved: boolean;
  onSave: (input: { url: string; events: Subscription[]; format: Format; rotateSecret: boolean }) => void;
}) {
  const [url, setUrl] = useState(initial.WebhookURL);
  const [all, setAll] = useState(initial.Events.length === 0 || initial.Events.includes('All'));
  const [selected, setSelected] = useState<Set<string>>(() => new Set(initial.Events.filter((e) => e !== 'All')));
  const [format, setFormat] = useState<Format>(initial.Format);
  const [rotate, setRotate] = useState(false);

  function toggle(type: EventType, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const chosen = SUBSCRIBABLE.filter((t) => selected.has(t));
    // An empty subscription means every type too: say so explicitly.
    onSave({ url: url.trim(), events: all || chosen.length === 0 ? ['All'] : chosen, format, rotateSecret: rotate });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Webhook settings">
      <Field label="Webhook URL" hint="http(s) URL. Leave empty to turn webhooks off.">
        <TextInput type="url" name="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/wago-webhook" inputMode="url" />
      </Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-sm font-medium text-slate-700">Events</legend>
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" name="events" value="All" checked={all} onChange={(e) => setAll(e.target.checked)} className="h-4 w-4 accent-emerald-600" />
          All events
        </label>
        <div className="grid grid-cols-2 gap-x-4 gap-y-1.5 sm:grid-cols-3">
          {SUBSCRIBABLE.map((type) => (
            <label key={type} className={`flex items-center gap-2 text-sm ${all ? 'text-slate-400' : 'text-slate-700'}`}>
              <input
                type="checkbox"
                name="events"
                value={type}
                checked={all || selected.has(type)}
                disabled={all}
                onChange={(e) => toggle(type, e.target.checked)}
                className="h-4 w-4 accent-emerald-600"
              />
              {type}
            </label>
          ))}
        </div>
        <p className="text-xs text-slate-500">Test events are always sent. Choosing none means all.</p>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Body format">
          <select name="format" value={format} onChange={(e) => setFormat(e.target.value === 'form' ? 'form' : 'json')} className={inputClass}>
            <option value="json">JSON (application/json)</option>
            <option value="form">Form (application/x-www-form-urlencoded)</option>
          </select>
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="rotateSecret" checked={rotate} onChange={(e) => setRotate(e.target.checked)} className="h-4 w-4 accent-emerald-600" />
          Rotate signing secret
        </label>
      </div>
      <p className="text-xs text-slate-500">
        {initial.HasSecret ? 'A signing secret is set.' : 'No signing secret yet: one is created when you save a URL.'} Rotating replaces it at once.
      </p>
      <ErrorNote>{error}</ErrorNote>
      <div className="flex items-center gap-3">
        <Button type="submit" busy={busy}>Save webhook</Button>
        {saved && !error && <span role="status" className="text-sm text-emerald-700">Saved</span>}
      </div>
    </form>
  );
}
