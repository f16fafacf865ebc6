'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote } from '../../ui/card';
import { Field, TextInput, inputClass } from '../../ui/field';
import { Pill, type PillTone } from '../../ui/pill';
import { TimeAgo } from '../../ui/time';
import { DataTable } from '../../ui/table';

type AuditPage = RouterOutputs['audit']['list'];
type AuditEntry = AuditPage['Entries'][number];

const KINDS = [
  ['', 'Anyone'],
  ['admin-token', 'Admin token'],
  ['api-key', 'API key'],
  ['account', 'Dashboard account'],
  ['session-token', 'Session token'],
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Filters {
  actorKind: string;
  action: string;
  sessionId: string;
}

function statusTone(status: number): PillTone {
  if (status < 300) return 'green';
  if (status < 500) return 'amber';
  return 'red';
}

function Row({ e }: { e: AuditEntry }) {
  return (
    <tr data-testid="audit-row" data-action={e.Action} className="align-top hover:bg-slate-50">
      <td className="whitespace-nowrap px-5 py-3 text-slate-600" title={e.At}><TimeAgo iso={e.At} /></td>
      <td className="px-5 py-3">
        <div className="font-medium text-slate-900">{e.ActorLabel ?? e.ActorKind}</div>
        <div className="text-xs text-slate-500">{e.ActorKind}{e.ActorId ? ` · ${e.ActorId}` : ''}</div>
      </td>
      <th scope="row" className="px-5 py-3 font-mono text-xs font-normal text-slate-800">{e.Action}</th>
      <td className="px-5 py-3 font-mono text-xs text-slate-600">
        {e.SessionId && <div>session {e.SessionId}</div>}
        {e.AccountId && <div>account {e.AccountId}</div>}
        {!e.SessionId && !e.AccountId && <span className="text-slate-400">—</span>}
      </td>
      <td className="px-5 py-3 text-xs text-slate-600">
        <div>{e.Ip ?? '—'}</div>
        {e.UserAgent && <div className="max-w-[16rem] truncate text-slate-400" title={e.UserAgent}>{e.UserAgent}</div>}
      </td>
      <td className="px-5 py-3 text-right"><Pill tone={statusTone(e.Status)}>{e.Status}</Pill></td>
    </tr>
  );
}

/** The audit log (admin): who did what to which session or account, newest first, with filters. */
export function AuditPanel() {
  const [draft, setDraft] = useState<Filters>({ actorKind: '', action: '', sessionId: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [formError, setFormError] = useState<string | null>(null);
  const log = useInfiniteQuery({
    queryKey: ['audit.list', filters],
    queryFn: ({ pageParam }) =>
      trpc.audit.list.query({
        actorKind: (filters.actorKind || undefined) as Exclude<(typeof KINDS)[number][0], ''> | undefined,
        action: filters.action || undefined,
        targetSessionId: filters.sessionId || undefined,
        cursor: pageParam ?? undefined,
        limit: 50,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AuditPage) => last.NextCursor,
  });
  const entries = log.data?.pages.flatMap((p) => p.Entries) ?? [];

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const sessionId = draft.sessionId.trim();
    if (sessionId && !UUID.test(sessionId)) return setFormError('Session id: must be a session id (UUID)');
    setFormError(null);
    setFilters({ ...draft, action: draft.action.trim(), sessionId });
  };

  return (
    <Card title="Audit log" description="Admin and destructive actions through the API and this dashboard: who, what, on which session or account, from where, and the outcome.">
      <div className="flex flex-col gap-4">
        <form onSubmit={apply} className="grid grid-cols-1 items-end gap-3 sm:grid-cols-4" aria-label="Filter the audit log">
          <Field label="Actor">
            <select className={inputClass} value={draft.actorKind} onChange={(e) => setDraft({ ...draft, actorKind: e.target.value })}>
              {KINDS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </Field>
          <Field label="Action starts with">
            <TextInput value={draft.action} placeholder="POST /session/" maxLength={200} onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
          </Field>
          <Field label="Session id">
            <TextInput value={draft.sessionId} placeholder="any" onChange={(e) => setDraft({ ...draft, sessionId: e.target.value })} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit">Filter</Button>
            <Button variant="secondary" onClick={() => void log.refetch()} busy={log.isRefetching}>Refresh</Button>
          </div>
        </form>
        <ErrorNote>{formError ?? (log.error && `Could not read the audit log: ${errorMessage(log.error)}`)}</ErrorNote>
        {log.isPending ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : entries.length === 0 ? (
          <EmptyState title="No entries">Nothing matches these filters yet.</EmptyState>
        ) : (
          <DataTable
            columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Action' }, { label: 'Target' }, { label: 'From' }, { label: 'Status', align: 'right' }]}
            minWidth="56rem"
            caption="Audit log entries, newest first"
            busy={log.isFetching}
          >
            {entries.map((e) => <Row key={e.Id} e={e} />)}
          </DataTable>
        )}
        {log.hasNextPage && (
          <div>
            <Button variant="secondary" onClick={() => void log.fetchNextPage()} busy={log.isFetchingNextPage}>Older entries</Button>
          </div>
        )}
      </div>
    </Card>
  );
}
