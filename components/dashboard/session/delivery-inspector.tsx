'use client';

import { useQuery } from '@tanstack/react-query';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { ErrorNote, Spinner } from '../../ui/card';
import { Pill, type PillTone } from '../../ui/pill';
import { TimeAgo } from '../../ui/time';

type Inspection = RouterOutputs['webhook']['inspect'];
type Attempt = Inspection['Attempts'][number];
export type DeliveryState = Inspection['Delivery']['State'];

const STATE_TONES: Record<DeliveryState, PillTone> = { pending: 'amber', failing: 'red', delivered: 'green', dead: 'grey' };

/** A delivery's state as a coloured pill (failing: waiting for a retry after an error). */
export function StatePill({ state }: { state: DeliveryState }) {
  return <Pill tone={STATE_TONES[state]}>{state}</Pill>;
}

export const inspectKey = (sessionId: string, eventId: string) => ['webhook.deliveries', sessionId, 'inspect', eventId] as const;

/** One delivery in full: the request as sent (body, headers with the signature) and every attempt. */
export function DeliveryInspector({
  sessionId,
  eventId,
  onClose,
  onRedeliver,
  redelivering,
}: {
  sessionId: string;
  eventId: string;
  onClose: () => void;
  onRedeliver: () => void;
  redelivering: boolean;
}) {
  const inspection = useQuery({ queryKey: inspectKey(sessionId, eventId), queryFn: () => trpc.webhook.inspect.query({ sessionId, eventId }) });
  const d = inspection.data?.Delivery;
  const attempts = inspection.data?.Attempts ?? [];
  const last = attempts.at(-1);

  return (
    <section
      data-testid="delivery-inspector"
      data-event-id={eventId}
      data-state={d?.State}
      aria-label="Delivery inspector"
      className="min-w-0 rounded-xl border border-slate-200 bg-slate-50/60 p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
            {d ? <StatePill state={d.State} /> : null}
            <span>{d?.Type ?? 'Delivery'}</span>
          </h3>
          <p className="mt-1 break-all font-mono text-xs text-slate-500">{eventId}</p>
          {d?.State === 'failing' && d.NextAttemptAt && (
            <p className="mt-1 text-xs text-rose-700">
              The last attempt failed; the next one is due <TimeAgo iso={d.NextAttemptAt} />. Later events of this session wait behind it.
            </p>
          )}
        </div>
        <div className="flex gap-2">
          <Button
            variant="secondary"
            busy={redelivering}
            disabled={!d || d.Status === 'pending'}
            title={d?.Status === 'pending' ? 'Still being delivered' : 'Send this event again, with the same id'}
            onClick={onRedeliver}
          >
            Redeliver
          </Button>
          <Button variant="ghost" onClick={onClose}>Close</Button>
        </div>
      </div>

      {inspection.isPending ? (
        <Spinner label="Loading the delivery" />
      ) : inspection.error ? (
        <ErrorNote>{errorMessage(inspection.error)}</ErrorNote>
      ) : (
        <div className="mt-4 grid min-w-0 gap-4 lg:grid-cols-2">
          <div className="min-w-0">
            <h4 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Request headers {last ? `(attempt ${last.Attempt})` : '(none sent yet)'}</h4>
            {last ? <Headers headers={last.Headers} /> : <p className="text-sm text-slate-500">No attempt was made yet.</p>}
            <h4 className="mb-1 mt-3 text-xs font-medium uppercase tracking-wide text-slate-500">Body</h4>
            <pre data-testid="delivery-body" className="max-h-72 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-white p-3 font-mono text-xs text-slate-700 ring-1 ring-slate-200">
              {pretty(inspection.data.Body)}
            </pre>
          </div>
          <div className="min-w-0">
            <h4 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Attempts ({attempts.length})</h4>
            {attempts.length === 0 ? (
              <p className="text-sm text-slate-500">No attempt was made yet.</p>
            ) : (
              <ol className="flex flex-col gap-2">
                {[...attempts].reverse().map((a) => (
                  <AttemptItem key={`${a.StartedAt}-${a.Attempt}`} attempt={a} />
                ))}
              </ol>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function AttemptItem({ attempt: a }: { attempt: Attempt }) {
  const ok = a.StatusCode !== null && a.StatusCode >= 200 && a.StatusCode < 300;
  return (
    <li data-testid="delivery-attempt" data-attempt={a.Attempt} data-status-code={a.StatusCode ?? ''} className="min-w-0 rounded-lg bg-white p-3 text-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium text-slate-800">#{a.Attempt}</span>
        <Pill tone={ok ? 'green' : 'red'}>{a.StatusCode ?? 'no answer'}</Pill>
        <span className="tabular-nums text-slate-600">{a.DurationMs} ms</span>
        <span className="text-slate-500"><TimeAgo iso={a.StartedAt} /></span>
      </div>
      {a.Error && <p className="mt-1 break-words text-rose-700">{a.Error}</p>}
      {a.ResponseBody ? (
        <pre data-testid="attempt-response" className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs text-slate-700">{a.ResponseBody}</pre>
      ) : null}
    </li>
  );
}

function Headers({ headers }: { headers: Record<string, string> }) {
  return (
    <dl data-testid="delivery-headers" className="grid grid-cols-1 gap-x-3 gap-y-0.5 rounded-lg bg-white p-3 font-mono text-xs ring-1 ring-slate-200 sm:grid-cols-[auto_1fr]">
      {Object.entries(headers).map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-slate-500">{name}</dt>
          <dd className="mb-1 break-all text-slate-800 sm:mb-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** JSON bodies indented for reading; others as they were sent. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
