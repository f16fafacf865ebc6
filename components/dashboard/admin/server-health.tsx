'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Card, ErrorNote } from '../../ui/card';

export type ServerStatsView = RouterOutputs['system']['stats'];

export const SERVER_STATS_KEY = ['system.stats'] as const;

/** "3 d 4 h", "2 h 5 min", "42 s". */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${seconds % 60} s`;
  return `${seconds} s`;
}

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex flex-col gap-1 rounded-lg bg-slate-50 px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd data-testid={testId} className="text-sm font-semibold text-slate-900">{children}</dd>
    </div>
  );
}

/** This process's figures, refreshed every 5 s; the previous figures stay on screen if a refresh fails. */
export function ServerHealth({ initial }: { initial: ServerStatsView }) {
  const stats = useQuery({
    queryKey: SERVER_STATS_KEY,
    queryFn: () => trpc.system.stats.query(),
    initialData: initial,
    initialDataUpdatedAt: Date.now(),
    refetchInterval: 5_000,
    staleTime: 0,
  });
  const s = stats.data;
  return (
    <Card
      title="Server health"
      description={
        <>
          Version <span data-testid="stat-version">{s.version}</span> · instance <span className="font-mono text-xs">{s.instanceId}</span> · refreshed
          every 5 s
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <dl aria-live="polite" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Stat label="Uptime" testId="stat-uptime">{formatUptime(s.uptimeSeconds)}</Stat>
          <Stat label="Sessions running" testId="stat-sessions">{s.sessionsRunning}</Stat>
          <Stat label="Memory (RSS / heap)" testId="stat-memory">
            {s.memory.rssMb} MB / {s.memory.heapUsedMb} MB
          </Stat>
          <Stat label="Event-loop delay (mean / p99 / max)" testId="stat-event-loop">
            {s.eventLoop.meanMs} / {s.eventLoop.p99Ms} / {s.eventLoop.maxMs} ms
          </Stat>
        </dl>
        <ErrorNote>{stats.error && `Could not refresh the figures: ${errorMessage(stats.error)}`}</ErrorNote>
        <div className="flex flex-col gap-1 text-sm text-slate-600">
          <p>
            REST API reference:{' '}
            <a href="/docs" className="font-medium text-emerald-700 hover:underline">/docs</a>
            {' '}· OpenAPI document:{' '}
            <a href="/openapi.json" className="font-medium text-emerald-700 hover:underline">/openapi.json</a>
          </p>
          <p>
            The REST admin routes (creating and listing sessions, <span className="font-mono text-xs">/server/stats</span>…) take the{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">admintoken</code> header; session routes take the session&apos;s{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">token</code>. Lost the admin token? Run{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">npm run admin-token</code>.
          </p>
        </div>
      </div>
    </Card>
  );
}
