'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage, type DashboardSession } from './trpc';
import { useLive } from './live';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNote } from '../ui/card';
import { Dialog, DialogActions, LeaveDialogButton } from '../ui/dialog';
import { Field, TextInput } from '../ui/field';
import { SecretReveal } from '../ui/secret-reveal';
import { StateBadge } from '../ui/state-badge';
import { TimeAgo } from '../ui/time';
import { DataTable, type Column } from '../ui/table';

export const SESSIONS_KEY = ['session.list'] as const;

const STATE_EVENTS = new Set(['StateChanged', 'Connected', 'Disconnected', 'LoggedOut', 'PairSuccess', 'Message']);

/** Phone number of a JID (`123@s.whatsapp.net` → +123). */
export function phoneOf(jid: string | null): string | null {
  const user = jid?.split('@')[0]?.split(':')[0];
  return user ? `+${user}` : null;
}

export function SessionsList({ initial, showOwner }: { initial: DashboardSession[]; showOwner: boolean }) {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: () => trpc.session.list.query(), initialData: initial, initialDataUpdatedAt: Date.now() });
  const columns: Column[] = [
    { label: 'Name' },
    { label: 'Phone' },
    { label: 'State' },
    ...(showOwner ? [{ label: 'Owner' }] : []),
    { label: 'Last activity' },
    { label: 'Actions', srOnly: true },
  ];
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<DashboardSession | null>(null);

  useLive(
    sessions.data.map((s) => s.id),
    {
      onEvent: (event) => {
        if (!STATE_EVENTS.has(event.type)) return;
        if (event.type === 'StateChanged') {
          const state = String(event.data.state);
          queryClient.setQueryData<DashboardSession[]>(SESSIONS_KEY, (list) => list?.map((s) => (s.id === event.sessionId ? { ...s, state, connected: state === 'connected' } : s)));
        }
        void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      },
    },
  );

  return (
    <>
      <Card
        title={`${sessions.data.length} session${sessions.data.length === 1 ? '' : 's'}`}
        actions={<Button onClick={() => setCreating(true)}>New session</Button>}
      >
        {sessions.data.length === 0 ? (
          <EmptyState title="No sessions yet">
            Create one, then link it to WhatsApp by scanning its QR code with your phone.
          </EmptyState>
        ) : (
          <DataTable columns={columns} minWidth="40rem">
                {sessions.data.map((s) => (
                  <tr key={s.id} data-testid="session-row" data-session-id={s.id} className="hover:bg-slate-50">
                    <td className="px-5 py-3 font-medium">
                      <Link href={`/dashboard/sessions/${s.id}`} className="text-slate-900 hover:text-emerald-700 hover:underline">
                        {s.name}
                      </Link>
                    </td>
                    <td className="px-5 py-3 font-mono text-slate-600">{phoneOf(s.jid) ?? <span className="font-sans text-slate-400">not linked</span>}</td>
                    <td className="px-5 py-3"><StateBadge state={s.state} /></td>
                    {showOwner && <td className="px-5 py-3 text-slate-600">{s.ownerEmail ?? <span className="text-slate-400">API (admin token)</span>}</td>}
                    <td className="px-5 py-3 text-slate-600"><TimeAgo iso={s.lastActivityAt} /></td>
                    <td className="px-5 py-3 text-right">
                      <Button variant="ghost" className="text-rose-700" onClick={() => setDeleting(s)} aria-label={`Delete ${s.name}`}>
                        Delete
                      </Button>
                    </td>
                  </tr>
                ))}
              </DataTable>
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

function DeleteSessionDialog({ session, onClose }: { session: DashboardSession | null; onClose: () => void }) {
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
