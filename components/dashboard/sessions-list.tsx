'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { trpc, errorMessage, type RouterOutputs } from './trpc';
import { useLive } from './live';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNote } from '../ui/card';
import { Dialog, DialogActions, LeaveDialogButton } from '../ui/dialog';
import { Field, TextInput } from '../ui/field';
import { Pill } from '../ui/pill';
import { SecretReveal } from '../ui/secret-reveal';
import { StateBadge } from '../ui/state-badge';
import { TimeAgo } from '../ui/time';
import { useDebounced } from '../ui/use-debounced';
import { DataTable, type Column } from '../ui/table';
import { SessionsFilters, NO_FILTERS, type SessionFilters } from './sessions-filters';
import { SessionRowActions } from './session-row-actions';

/** Every cached page of the sessions list starts with this key (invalidate it after a change). */
export const SESSIONS_KEY = ['session.list'] as const;

type SessionPage = RouterOutputs['sessionList']['page'];
type ListedSession = SessionPage['items'][number];

const STATE_EVENTS = new Set(['StateChanged', 'Connected', 'Disconnected', 'LoggedOut', 'PairSuccess', 'Message']);

/** Phone number of a JID (`123@s.whatsapp.net` → +123). */
export function phoneOf(jid: string | null): string | null {
  const user = jid?.split('@')[0]?.split(':')[0];
  return user ? `+${user}` : null;
}

/**
 * The sessions list: searched, filtered and paginated on the server (a page at a time, however
 * many sessions there are), kept live, with start/stop/restart/logout on each row.
 */
export function SessionsList({ initial, showOwner, owners }: { initial: SessionPage; showOwner: boolean; owners?: Array<{ id: string; email: string }> }) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<SessionFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const pageSize = initial.pageSize;
  const search = useDebounced(filters.search.trim(), 250);
  const params = { search: search || undefined, state: (filters.state || undefined) as never, ownerId: filters.ownerId || undefined, failing: filters.failing || undefined, page, pageSize: pageSize as 25 };
  const unfiltered = !params.search && !params.state && !params.ownerId && !params.failing && page === 1;
  const listKey = [...SESSIONS_KEY, params] as const;
  const sessions = useQuery({
    queryKey: listKey,
    queryFn: () => trpc.sessionList.page.query(params),
    placeholderData: keepPreviousData,
    ...(unfiltered ? { initialData: initial, initialDataUpdatedAt: Date.now() } : {}),
  });
  const data = sessions.data ?? initial;
  const columns: Column[] = [
    { label: 'Name' },
    { label: 'Phone' },
    { label: 'State' },
    ...(showOwner ? [{ label: 'Owner' }] : []),
    { label: 'Last activity' },
    { label: 'Actions', srOnly: true },
  ];
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ListedSession | null>(null);
  const change = (next: SessionFilters) => {
    setFilters(next);
    setPage(1);
  };

  useLive(
    data.items.map((s) => s.id),
    {
      onEvent: (event) => {
        if (!STATE_EVENTS.has(event.type)) return;
        void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      },
    },
  );

  const filtered = !unfiltered || filters.search !== '';
  return (
    <>
      <Card
        title={`${data.total} session${data.total === 1 ? '' : 's'}${filtered ? ' found' : ''}`}
        actions={<Button onClick={() => setCreating(true)}>New session</Button>}
      >
        <div className="mb-4">
          <SessionsFilters value={filters} onChange={change} owners={showOwner ? owners : undefined} />
        </div>
        {data.total === 0 && !filtered ? (
          <EmptyState title="No sessions yet">
            Create one, then link it to WhatsApp by scanning its QR code with your phone.
          </EmptyState>
        ) : data.items.length === 0 ? (
          <EmptyState title="No session matches">Change the search or the filters.</EmptyState>
        ) : (
          <DataTable columns={columns} minWidth="48rem" busy={sessions.isFetching}>
            {data.items.map((s) => (
              <tr key={s.id} data-testid="session-row" data-session-id={s.id} data-state={s.state} className="hover:bg-slate-50">
                <td className="px-5 py-3 font-medium">
                  <Link href={`/dashboard/sessions/${s.id}`} className="text-slate-900 hover:text-emerald-700 hover:underline">
                    {s.name}
                  </Link>
                  {s.failingWebhooks > 0 && (
                    <Pill tone="red" className="ml-2" >
                      <span data-testid="failing-webhook" title={`${s.failingWebhooks} webhook event(s) being retried after a failed delivery`}>webhook failing</span>
                    </Pill>
                  )}
                </td>
                <td className="px-5 py-3 font-mono text-slate-600">{phoneOf(s.jid) ?? <span className="font-sans text-slate-400">not linked</span>}</td>
                <td className="px-5 py-3"><StateBadge state={s.state} /></td>
                {showOwner && <td className="px-5 py-3 text-slate-600">{s.ownerEmail ?? <span className="text-slate-400">API (admin token)</span>}</td>}
                <td className="px-5 py-3 text-slate-600"><TimeAgo iso={s.lastActivityAt} /></td>
                <td className="px-5 py-3 text-right">
                  <SessionRowActions session={s} listKey={SESSIONS_KEY} onDelete={() => setDeleting(s)} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {data.total > 0 && (
          <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
            <span data-testid="page-status">Page {data.page} of {data.pages}</span>
            <div className="flex gap-2">
              <Button variant="secondary" disabled={data.page <= 1} onClick={() => setPage(data.page - 1)}>← Previous</Button>
              <Button variant="secondary" disabled={data.page >= data.pages} onClick={() => setPage(data.page + 1)}>Next →</Button>
            </div>
          </nav>
        )}
      </Card>
      <CreateSessionDialog open={creating} onClose={() => setCreating(false)} />
      <DeleteSessionDialog session={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function CreateSessionDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const create = useMutation({
    mutationFn: (name: string) => trpc.session.create.mutate({ name }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
  const close = () => {
    create.reset();
    onClose();
  };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    create.mutate(String(new FormData(e.currentTarget).get('name')));
  }
  return (
    <Dialog open={open} onClose={close} title={create.data ? 'Session created' : 'New session'} shownOnce={create.data ? { what: 'API token' } : null}>
      {create.data ? (
        <>
          <SecretReveal label={`API token of “${create.data.session.name}”`} value={create.data.token} note="Send it as the token header. It is shown only this once; you can regenerate it later." />
          <div className="flex flex-wrap justify-end gap-2">
            <LeaveDialogButton onLeave={close}>Close</LeaveDialogButton>
            <LeaveDialogButton variant="primary" onLeave={() => router.push(`/dashboard/sessions/${create.data.session.id}`)}>Link it to WhatsApp →</LeaveDialogButton>
          </div>
        </>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4">
          <Field label="Name" hint="For you to tell sessions apart, e.g. “Support line”.">
            <TextInput name="name" required maxLength={100} autoFocus placeholder="Support line" />
          </Field>
          <ErrorNote>{create.error && errorMessage(create.error, { action: true })}</ErrorNote>
          <DialogActions onCancel={close}>
            <Button type="submit" busy={create.isPending}>Create session</Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

function DeleteSessionDialog({ session, onClose }: { session: ListedSession | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (sessionId: string) => trpc.session.delete.mutate({ sessionId }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      onClose();
    },
  });
  return (
    <Dialog open={session !== null} onClose={() => { remove.reset(); onClose(); }} title="Delete session?">
      <p className="text-sm text-slate-600">
        “{session?.name}” is unlinked from WhatsApp and deleted with its keys, messages and webhook history. This cannot be undone.
      </p>
      <ErrorNote>{remove.error && errorMessage(remove.error, { action: true })}</ErrorNote>
      <DialogActions onCancel={onClose}>
        <Button variant="danger" busy={remove.isPending} onClick={() => session && remove.mutate(session.id)}>Delete session</Button>
      </DialogActions>
    </Dialog>
  );
}
