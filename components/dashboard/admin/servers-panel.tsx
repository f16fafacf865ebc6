'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Card, ErrorNote, Spinner } from '../../ui/card';
import { Button } from '../../ui/button';
import { Pill } from '../../ui/pill';
import { StateBadge } from '../../ui/state-badge';
import { TimeAgo } from '../../ui/time';

type ServerView = RouterOutputs['servers']['list'][number];

/**
 * The WaGo processes sharing this database (from their heartbeats and session leases): URL, sessions
 * held, last heartbeat; a process that stopped beating is marked stale. One card per process, so the
 * view fits a phone without scrolling sideways.
 */
export function ServersPanel({ initial }: { initial: ServerView[] }) {
  const servers = useQuery({ queryKey: ['servers.list'], queryFn: () => trpc.servers.list.query(), initialData: initial, initialDataUpdatedAt: Date.now(), refetchInterval: 10_000 });
  return (
    <Card title="Servers" description="Each WaGo process sharing the database, with the sessions it runs and its last heartbeat (every 10 s).">
      <ErrorNote>{servers.error && errorMessage(servers.error)}</ErrorNote>
      <ul className="grid grid-cols-1 gap-3 lg:grid-cols-2" data-testid="servers">
        {servers.data.map((s) => (
          <ServerCard key={s.id} server={s} />
        ))}
      </ul>
    </Card>
  );
}

function ServerCard({ server }: { server: ServerView }) {
  const [open, setOpen] = useState(false);
  const sessions = useQuery({ queryKey: ['servers.sessions', server.id], queryFn: () => trpc.servers.sessions.query({ instanceId: server.id }), enabled: open });
  return (
    <li data-testid="server-card" data-instance-id={server.id} data-stale={server.stale} className="min-w-0 rounded-lg border border-slate-200 p-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="break-all font-mono text-xs text-slate-700">{server.id}</span>
        {server.current && <Pill tone="blue">this process</Pill>}
        {server.stale ? <Pill tone="red">stale</Pill> : <Pill tone="green">alive</Pill>}
      </div>
      <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-slate-600">
        <dt>URL</dt>
        <dd className="break-all font-mono text-xs">{server.url ?? '—'}</dd>
        <dt>Host / pid</dt>
        <dd className="break-all">{server.host} / {server.pid}</dd>
        <dt>Version</dt>
        <dd>{server.version}</dd>
        <dt>Sessions</dt>
        <dd data-testid="server-sessions">{server.sessions}</dd>
        <dt>Heartbeat</dt>
        <dd><TimeAgo iso={server.heartbeatAt} /></dd>
        <dt>Started</dt>
        <dd><TimeAgo iso={server.startedAt} /></dd>
      </dl>
      {server.sessions > 0 && (
        <Button variant="ghost" className="mt-2 -ml-3" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide sessions' : 'Show sessions'}
        </Button>
      )}
      {open && (sessions.isLoading ? <Spinner /> : (
        <ul className="mt-1 flex flex-col gap-1">
          {sessions.data?.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-2">
              <a className="truncate text-slate-800 hover:underline" href={`/dashboard/sessions/${s.id}`}>{s.name}</a>
              <StateBadge state={s.state} />
            </li>
          ))}
        </ul>
      ))}
    </li>
  );
}
