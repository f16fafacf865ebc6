'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { inputClass } from '../../ui/field';
import { TimeAgo } from '../../ui/time';
import { Pill, statusTone, useCoalesced } from './shared';
import { DataTable, type Column } from '../../ui/table';

const DELIVERY_COLUMNS: Column[] = [
  { label: 'Status' },
  { label: 'Type' },
  { label: 'Attempts' },
  { label: 'Response' },
  { label: 'Last error' },
  { label: 'Queued' },
  { label: 'Actions', srOnly: true },
];

type Delivery = RouterOutputs['webhook']['deliveries'][number];
const STATUSES = ['pending', 'delivered', 'dead'] as const;
type StatusFilter = 'all' | (typeof STATUSES)[number];

const isStatusFilter = (value: string): value is StatusFilter => value === 'all' || (STATUSES as readonly string[]).includes(value);

/** The session's webhook outbox: what was sent, what is waiting, what gave up; with redelivery. */
export function DeliveriesPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>('all');
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
    mutationFn: (eventId: string) => trpc.webhook.redeliver.mutate({ sessionId, eventId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['webhook.deliveries', sessionId] }),
  });

  return (
    <Card
      className={className}
      title="Webhook deliveries"
      description="The latest 50 events queued for the webhook, newest first. Updated live."
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => isStatusFilter(e.target.value) && setStatus(e.target.value)}
            className={`${inputClass} w-auto`}
            aria-label="Filter deliveries by status"
          >
            <option value="all">All</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="dead">Dead</option>
          </select>
        </label>
      }
    >
      <div className="flex flex-col gap-3">
        <ErrorNote>{redeliver.error && `Redeliver: ${errorMessage(redeliver.error, { action: true })}`}</ErrorNote>
        {deliveries.isPending ? (
          <Spinner label="Loading deliveries" />
        ) : deliveries.error ? (
          <ErrorNote>{errorMessage(deliveries.error)}</ErrorNote>
        ) : deliveries.data.length === 0 ? (
          <EmptyState title={status === 'all' ? 'No deliveries yet' : `No ${status} deliveries`}>
            Events appear here once a webhook URL is set and the session produces events (or you send a test event).
          </EmptyState>
        ) : (
          <DataTable columns={DELIVERY_COLUMNS} minWidth="44rem">
                {deliveries.data.map((d) => (
                  <DeliveryRow
                    key={d.EventId}
                    delivery={d}
                    busy={redeliver.isPending && redeliver.variables === d.EventId}
                    onRedeliver={() => redeliver.mutate(d.EventId)}
                  />
                ))}
              </DataTable>
        )}
      </div>
    </Card>
  );
}

function DeliveryRow({ delivery: d, busy, onRedeliver }: { delivery: Delivery; busy: boolean; onRedeliver: () => void }) {
  return (
    <tr data-testid="delivery-row" data-event-id={d.EventId} data-status={d.Status} className="align-top hover:bg-slate-50">
      <td className="px-5 py-3">
        <Pill tone={statusTone(d.Status)}>{d.Status}</Pill>
        {d.Status === 'pending' && d.NextAttemptAt && (
          <div className="mt-1 text-xs text-slate-500">
            next <TimeAgo iso={d.NextAttemptAt} />
          </div>
        )}
      </td>
      <td className="px-5 py-3 font-medium text-slate-800">{d.Type}</td>
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
