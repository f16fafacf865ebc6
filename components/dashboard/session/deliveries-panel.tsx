'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { inputClass } from '../../ui/field';
import { TimeAgo } from '../../ui/time';
import { useCoalesced } from './shared';
import { DataTable, type Column } from '../../ui/table';
import { DeliveryInspector, StatePill, type DeliveryState } from './delivery-inspector';

const DELIVERY_COLUMNS: Column[] = [
  { label: 'State' },
  { label: 'Type' },
  { label: 'Attempts' },
  { label: 'Response' },
  { label: 'Last error' },
  { label: 'Queued' },
  { label: 'Actions', srOnly: true },
];

type Delivery = RouterOutputs['webhook']['deliveries'][number];
type StatusFilter = 'all' | DeliveryState;
const FILTERS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'failing', label: 'Failing' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'dead', label: 'Dead' },
];

/** What an empty list says, per filter. */
const EMPTY: Record<StatusFilter, { title: string; text: string }> = {
  all: { title: 'No deliveries yet', text: 'Events appear here once a webhook URL is set and the session produces events (or you send a test event).' },
  pending: { title: 'Nothing is waiting', text: 'Every event was delivered or gave up. New events show here while they are on their way.' },
  failing: { title: 'Nothing is failing', text: 'No event is waiting for a retry: the receiver accepted every attempt so far.' },
  delivered: { title: 'No delivered events', text: 'None of the latest events was accepted by the receiver yet (a 2xx answer).' },
  dead: { title: 'No dead events', text: 'No event gave up: each one was delivered, or is still being retried within the maximum age.' },
};

const isFilter = (value: string): value is StatusFilter => FILTERS.some((f) => f.value === value);

/** The session's webhook outbox: what was sent, what is waiting or failing, what gave up; inspection and redelivery. */
export function DeliveriesPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [inspected, setInspected] = useState<string | null>(null);
  const deliveries = useQuery({
    queryKey: ['webhook.deliveries', sessionId, status],
    queryFn: () => trpc.webhook.deliveries.query({ sessionId, status: status === 'all' ? undefined : status, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const refresh = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: ['webhook.deliveries', sessionId] }));
  useLive([sessionId], {
    onDelivery: refresh,
    onEvent: (event) => {
      if (event.type === 'Test') refresh();
    },
  });

  const redeliver = useMutation({
    mutationFn: (delivery: { eventId: string; type: string }) => trpc.webhook.redeliver.mutate({ sessionId, eventId: delivery.eventId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['webhook.deliveries', sessionId] }),
  });
  const redeliverRow = (d: Pick<Delivery, 'EventId' | 'Type'>) => redeliver.mutate({ eventId: d.EventId, type: d.Type });
  const empty = EMPTY[status];

  return (
    <Card
      // min-w-0: as a grid item the card may shrink below its table's width (the table scrolls inside it).
      className={`min-w-0 ${className}`}
      title="Webhook deliveries"
      description="The latest 50 events queued for the webhook, newest first. Updated live. Inspect one to see its request and every attempt."
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <span>Show</span>
          <select
            value={status}
            onChange={(e) => isFilter(e.target.value) && setStatus(e.target.value)}
            className={`${inputClass} w-auto`}
            aria-label="Filter deliveries by state"
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>{f.label}</option>
            ))}
          </select>
        </label>
      }
    >
      <div className="flex min-w-0 flex-col gap-3">
        <ErrorNote>{redeliver.error && `Redeliver: ${errorMessage(redeliver.error, { action: true })}`}</ErrorNote>
        {redeliver.isSuccess && (
          <p role="status" data-testid="redeliver-confirmation" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            Redelivery queued: {redeliver.variables.type} event <span className="break-all font-mono">{redeliver.data.EventId}</span> (was {redeliver.data.Previous}) goes out again with
            the same id, after this session’s pending events.
          </p>
        )}
        {inspected && (
          <DeliveryInspector
            key={inspected}
            sessionId={sessionId}
            eventId={inspected}
            onClose={() => setInspected(null)}
            redelivering={redeliver.isPending && redeliver.variables.eventId === inspected}
            onRedeliver={() => {
              const row = deliveries.data?.find((d) => d.EventId === inspected);
              redeliver.mutate({ eventId: inspected, type: row?.Type ?? 'the' });
            }}
          />
        )}
        {deliveries.isPending ? (
          <Spinner label="Loading deliveries" />
        ) : deliveries.error ? (
          <ErrorNote>{errorMessage(deliveries.error)}</ErrorNote>
        ) : deliveries.data.length === 0 ? (
          <div data-testid="deliveries-empty" data-filter={status}>
            <EmptyState title={empty.title}>{empty.text}</EmptyState>
          </div>
        ) : (
          <DataTable columns={DELIVERY_COLUMNS} minWidth="44rem">
            {deliveries.data.map((d) => (
              <DeliveryRow
                key={d.EventId}
                delivery={d}
                selected={inspected === d.EventId}
                busy={redeliver.isPending && redeliver.variables.eventId === d.EventId}
                onInspect={() => setInspected(inspected === d.EventId ? null : d.EventId)}
                onRedeliver={() => redeliverRow(d)}
              />
            ))}
          </DataTable>
        )}
      </div>
    </Card>
  );
}

function DeliveryRow({
  delivery: d,
  selected,
  busy,
  onInspect,
  onRedeliver,
}: {
  delivery: Delivery;
  selected: boolean;
  busy: boolean;
  onInspect: () => void;
  onRedeliver: () => void;
}) {
  return (
    <tr data-testid="delivery-row" data-event-id={d.EventId} data-status={d.Status} data-state={d.State} className={`align-top hover:bg-slate-50 ${selected ? 'bg-slate-50' : ''}`}>
      <td className="px-5 py-3">
        <StatePill state={d.State} />
        {d.Status === 'pending' && d.NextAttemptAt && (
          <div className="mt-1 text-xs text-slate-500">
            next <TimeAgo iso={d.NextAttemptAt} />
          </div>
        )}
      </td>
      <td className="px-5 py-3">
        <button
          type="button"
          onClick={onInspect}
          aria-expanded={selected}
          aria-label={`Inspect ${d.Type} event ${d.EventId}`}
          className="font-medium text-emerald-700 underline-offset-2 hover:underline"
        >
          {d.Type}
        </button>
      </td>
      <td className="px-5 py-3 tabular-nums text-slate-600">{d.Attempts}</td>
      <td className="px-5 py-3 font-mono text-slate-600">{d.LastStatusCode ?? <span className="font-sans text-slate-400">—</span>}</td>
      <td className="max-w-[16rem] px-5 py-3 text-slate-600">
        {d.LastError ? (
          <span className="block truncate" title={d.LastError}>{d.LastError}</span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
      <td className="px-5 py-3 text-slate-600"><TimeAgo iso={d.CreatedAt} /></td>
      <td className="px-5 py-3 text-right">
        <Button
          variant="ghost"
          busy={busy}
          disabled={d.Status === 'pending'}
          title={d.Status === 'pending' ? 'Still being delivered' : 'Send this event again, with the same id'}
          aria-label={`Redeliver ${d.Type} event ${d.EventId}`}
          onClick={onRedeliver}
        >
          Redeliver
        </Button>
      </td>
    </tr>
  );
}
