'use client';

import { useQuery } from '@tanstack/react-query';
import { trpc, errorMessage } from '../trpc';
import { ErrorNote, Spinner } from '../../ui/card';
import { TimeAgo } from '../../ui/time';
import { Pill, type PillTone } from './shared';

const historyKey = (sessionId: string) => ['calls.history', sessionId] as const;
const recordingsKey = (sessionId: string) => ['calls.recordings', sessionId] as const;
/** The queries the console refreshes on a Call event. */
export const callHistoryKeys = (sessionId: string) => [historyKey(sessionId), recordingsKey(sessionId)];

const TONES: Record<string, PillTone> = { connected: 'green', accepted: 'green', ringing: 'amber', calling: 'amber', rejected: 'red', missed: 'red', ended: 'grey' };
const peerOf = (c: { Peer: { Jid: string | null; Lid: string | null }; Creator: string }) =>
  (c.Peer.Jid ?? c.Peer.Lid ?? c.Creator).replace(/@.*$/, '').replace(/^(\d+)$/, '+$1');

/** The session's calls (newest first) and its recordings, each downloadable. */
export function CallHistory({ sessionId }: { sessionId: string }) {
  const history = useQuery({ queryKey: historyKey(sessionId), queryFn: () => trpc.calls.history.query({ sessionId }) });
  const recordings = useQuery({ queryKey: recordingsKey(sessionId), queryFn: () => trpc.calls.recordings.query({ sessionId }) });
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section data-testid="call-history">
        <h3 className="mb-2 text-sm font-semibold text-slate-700">Call history</h3>
        {history.isPending ? (
          <Spinner label="Loading calls" />
        ) : history.error ? (
          <ErrorNote>{errorMessage(history.error)}</ErrorNote>
        ) : history.data.Calls.length === 0 ? (
          <p className="text-sm text-slate-500">No calls yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {history.data.Calls.map((c) => (
              <li key={c.CallID} data-testid="call-row" data-call-id={c.CallID} data-state={c.State} className="flex items-center justify-between gap-2 py-2">
                <span>
                  <span className="text-slate-500">{c.Direction === 'incoming' ? 'from' : 'to'}</span> <span className="font-medium text-slate-800">{peerOf(c)}</span>
                  {c.EndReason && <span className="block text-xs text-slate-500">{c.EndReason}</span>}
                </span>
                <span className="flex items-center gap-2 whitespace-nowrap">
                  <Pill tone={TONES[c.State] ?? 'grey'}>{c.State}</Pill>
                  <span className="text-xs text-slate-500">
                    <TimeAgo iso={c.StartedAt} />
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section data-testid="call-recordings">
        <h3 className="mb-2 text-sm font-semibold text-slate-700">Recordings</h3>
        {recordings.isPending ? (
          <Spinner label="Loading recordings" />
        ) : recordings.error ? (
          <ErrorNote>{errorMessage(recordings.error)}</ErrorNote>
        ) : recordings.data.Recordings.length === 0 ? (
          <p className="text-sm text-slate-500">No recordings yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {recordings.data.Recordings.map((r) => (
              <li key={r.Path} data-testid="recording-row" data-path={r.Path} className="flex items-center justify-between gap-2 py-2">
                <a className="font-mono text-emerald-700 hover:underline" href={`/api/call-recordings?${new URLSearchParams({ sessionId, path: r.Path })}`} download>
                  {r.Path}
                </a>
                <span className="text-xs text-slate-500">{Math.round(r.Bytes / 1024)} KiB</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
