'use client';

import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc } from '../trpc';
import { ApiErrorNote } from '../error-note';
import { RenameSessionDialog, DeleteSessionDialog } from './session-manage';
import { useLive } from '../live';
import { phoneOf, SESSIONS_KEY } from '../sessions-list';
import { Button } from '../../ui/button';
import { Card, EmptyState } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';
import { StateBadge } from '../../ui/state-badge';
import { TimeAgo } from '../../ui/time';
import { sessionKey, type SandboxInfo, type SessionDetailData } from './shared';
import { LinkPanel } from './link-panel';
import { ConnectButton, LinkButton } from './session-fix-buttons';
import { TokenPanel } from './token-panel';
import { WebhookPanel } from './webhook-panel';
import { SettingsPanel } from './settings-panel';
import { DeliveriesPanel } from './deliveries-panel';
import { EventStream } from './event-stream';
import { MessageLog } from './message-log';
import { SendMessage } from './send-message';
import { GroupsPanel } from './groups-panel';
import { ContactsPanel } from './contacts-panel';
import { CallConsole } from './call-console';
import { BusinessPanel, ChannelsPanel } from './channels-business-panels';

const STATE_EVENTS = new Set(['StateChanged', 'Connected', 'Disconnected', 'LoggedOut', 'PairSuccess']);
const RUNNING = new Set(['connected', 'connecting', 'qr', 'pairing']);

type Action = 'connect' | 'disconnect' | 'logout';

export function SessionDetail({ initial, sandbox }: { initial: SessionDetailData; sandbox: SandboxInfo }) {
  const sessionId = initial.id;
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: sessionKey(sessionId),
    queryFn: () => trpc.session.get.query({ sessionId }),
    initialData: initial,
    initialDataUpdatedAt: Date.now(),
  });
  const session = query.data;
  const [confirmLogout, setConfirmLogout] = useState(false);
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);

  useLive([sessionId], {
    onEvent: (event) => {
      if (!STATE_EVENTS.has(event.type)) return;
      if (event.type === 'StateChanged' && typeof event.data.state === 'string') {
        const state = event.data.state;
        queryClient.setQueryData<SessionDetailData>(sessionKey(sessionId), (s) => s && { ...s, state, connected: state === 'connected' });
      }
      void queryClient.invalidateQueries({ queryKey: sessionKey(sessionId) });
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });

  const action = useMutation({
    mutationFn: (kind: Action) => {
      if (kind === 'connect') return trpc.session.connect.mutate({ sessionId });
      if (kind === 'disconnect') return trpc.session.disconnect.mutate({ sessionId });
      return trpc.session.logout.mutate({ sessionId });
    },
    onSuccess: (status, kind) => {
      queryClient.setQueryData<SessionDetailData>(sessionKey(sessionId), (s) =>
        s && { ...s, state: status.State, connected: status.Connected, loggedIn: status.LoggedIn, jid: status.Jid, lid: status.Lid, pushName: status.PushName, lastError: status.LastError },
      );
      void queryClient.invalidateQueries({ queryKey: sessionKey(sessionId) });
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      if (kind === 'logout') setConfirmLogout(false);
    },
  });
  const busy = (kind: Action) => action.isPending && action.variables === kind;

  const running = RUNNING.has(session.state);
  const canConnect = session.loggedIn && session.state !== 'connected' && session.state !== 'connecting';
  const canLogout = session.loggedIn || session.state === 'qr' || session.state === 'pairing';
  const phone = phoneOf(session.jid);

  return (
    <div className="flex flex-col gap-6" data-testid="session-detail" data-session-id={sessionId}>
      <div className="flex flex-col gap-4">
        <Link href="/dashboard" className="w-fit text-sm font-medium text-slate-500 hover:text-emerald-700 hover:underline">
          ← All sessions
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight text-slate-900">{session.name}</h1>
              <StateBadge state={session.state} />
              <Button variant="ghost" className="px-2 py-1 text-slate-500" onClick={() => setDialog('rename')} aria-label={`Rename ${session.name}`}>
                Rename
              </Button>
            </div>
            <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
              <div className="flex gap-1.5">
                <dt className="text-slate-500">Phone</dt>
                <dd className="font-mono" data-testid="session-phone">
                  {phone ?? <span className="font-sans text-slate-400">not linked</span>}
                </dd>
              </div>
              {session.pushName && (
                <div className="flex gap-1.5">
                  <dt className="text-slate-500">WhatsApp name</dt>
                  <dd>{session.pushName}</dd>
                </div>
              )}
              <div className="flex gap-1.5">
                <dt className="text-slate-500">{session.loggedIn || !session.linkedAt ? 'Linked' : 'Last linked'}</dt>
                <dd data-testid="session-linked-at" data-linked-at={session.linkedAt ?? ''}>
                  <TimeAgo iso={session.linkedAt} empty="never" />
                  {!session.loggedIn && session.linkedAt && <span className="text-slate-400"> (logged out since)</span>}
                </dd>
              </div>
              {session.ownerEmail !== undefined && (
                <div className="flex min-w-0 gap-1.5">
                  <dt className="text-slate-500">Owner</dt>
                  <dd data-testid="session-owner" className="break-all">{session.ownerEmail ?? <span className="text-slate-400">API (admin token)</span>}</dd>
                </div>
              )}
              <div className="flex gap-1.5">
                <dt className="text-slate-500">Created</dt>
                <dd><TimeAgo iso={session.createdAt} /></dd>
              </div>
            </dl>
            {session.lastError && session.state !== 'connected' && (
              <p className="mt-2 text-sm text-rose-700" data-testid="session-last-error">Last error: {session.lastError}</p>
            )}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/dashboard/sessions/${sessionId}/inbox`} data-testid="open-inbox" className="inline-flex items-center rounded-lg border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
              Inbox
            </Link>
            {canConnect && (
              <Button onClick={() => action.mutate('connect')} busy={busy('connect')} disabled={action.isPending}>
                Connect
              </Button>
            )}
            {running && (
              <Button variant="secondary" onClick={() => action.mutate('disconnect')} busy={busy('disconnect')} disabled={action.isPending}>
                Disconnect
              </Button>
            )}
            {canLogout && (
              <Button variant="ghost" className="text-rose-700" onClick={() => { action.reset(); setConfirmLogout(true); }} disabled={action.isPending}>
                Log out
              </Button>
            )}
            <Button variant="ghost" className="text-rose-700" onClick={() => setDialog('delete')} aria-label={`Delete ${session.name}`}>
              Delete
            </Button>
          </div>
        </div>
        {!confirmLogout && <ApiErrorNote error={action.error} sessionId={sessionId} action />}
        <ApiErrorNote error={query.error} prefix="Could not refresh the session: " />
      </div>

      {!session.loggedIn && <LinkPanel session={session} sandbox={sandbox} />}

      {/* calls first: an incoming call must be seen (and heard) at once */}
      {session.connected && <CallConsole sessionId={sessionId} />}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <SendMessage session={session} sandbox={sandbox} />
        <TokenPanel session={session} />
        <WebhookPanel sessionId={sessionId} />
        <SettingsPanel sessionId={sessionId} />
        <EventStream sessionId={sessionId} sessionName={session.name} />
        {session.connected ? (
          <>
            <GroupsPanel sessionId={sessionId} me={{ jid: session.jid, lid: session.lid }} className="lg:col-span-2" />
            <ContactsPanel sessionId={sessionId} className="lg:col-span-2" />
            <ChannelsPanel sessionId={sessionId} />
            <BusinessPanel sessionId={sessionId} />
          </>
        ) : (
          <Card className="lg:col-span-2" title="Groups and contacts">
            <div data-testid="groups-contacts-offline">
              <EmptyState title="The session is not connected">
                <span className="flex flex-col items-center gap-3">
                  {session.loggedIn ? 'Connect the session to see its groups and contacts.' : 'Link the session to WhatsApp to see its groups and contacts.'}
                  {session.loggedIn ? <ConnectButton sessionId={sessionId} /> : <LinkButton />}
                </span>
              </EmptyState>
            </div>
          </Card>
        )}
        <DeliveriesPanel sessionId={sessionId} className="lg:col-span-2" />
        <MessageLog sessionId={sessionId} className="lg:col-span-2" />
      </div>

      <Dialog open={confirmLogout} onClose={() => setConfirmLogout(false)} title="Log out of WhatsApp?">
        <p className="text-sm text-slate-600">
          “{session.name}” is unlinked from {phone ?? 'the phone'}: it disappears from the phone’s Linked devices and its keys are deleted.
          To use the session again you must link it again with a QR code or pairing code.
        </p>
        <ApiErrorNote error={action.error} action />
        <DialogActions onCancel={() => setConfirmLogout(false)}>
          <Button variant="danger" busy={busy('logout')} onClick={() => action.mutate('logout')}>Log out</Button>
        </DialogActions>
      </Dialog>
      <RenameSessionDialog session={session} open={dialog === 'rename'} onClose={() => setDialog(null)} />
      <DeleteSessionDialog session={session} open={dialog === 'delete'} onClose={() => setDialog(null)} />
    </div>
  );
}
