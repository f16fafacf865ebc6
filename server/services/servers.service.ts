import { hostname } from 'node:os';
import { getRuntime } from '../runtime/registry';
import { instanceRepository } from '../repositories/instance.repository';
import type { Logger } from '../logger';

/** How often each process writes its heartbeat. */
export const HEARTBEAT_MS = 10_000;
/** A process whose heartbeat is older than this is shown as stale. */
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS;
/** A process silent for this long is dropped from the list. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface ServerView {
  id: string;
  url: string | null;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  heartbeatAt: string;
  sessions: number;
  stale: boolean;
  current: boolean;
}

/** The WaGo processes sharing this database (admin only: the Servers view). */
export async function listServers(): Promise<ServerView[]> {
  const { instances, counts } = await instanceRepository.listWithSessions();
  const self = getRuntime().instanceId;
  const now = Date.now();
  return instances.map((i) => ({
    id: i.id,
    url: i.url,
    host: i.host,
    pid: i.pid,
    version: i.version,
    startedAt: i.startedAt.toISOString(),
    heartbeatAt: i.heartbeatAt.toISOString(),
    sessions: counts.get(i.id) ?? 0,
    stale: now - i.heartbeatAt.getTime() > STALE_AFTER_MS,
    current: i.id === self,
  }));
}

/** The sessions one process runs (live leases). */
export async function serverSessions(instanceId: string): Promise<Array<{ id: string; name: string; state: string }>> {
  return (await instanceRepository.leasedSessions(instanceId)).map((l) => ({ id: l.sessionId, name: l.session.name, state: l.session.state }));
}

/**
 * Writes this process's heartbeat now and every HEARTBEAT_MS; returns the stop function (which
 * removes the process from the list: a clean stop is not a stale server).
 */
export function startHeartbeat(opts: { instanceId: string; url: () => string | null; version: string; startedAt: Date; logger: Logger }): () => Promise<void> {
  const beat = () =>
    instanceRepository
      .beat({ id: opts.instanceId, url: opts.url(), host: hostname(), pid: process.pid, version: opts.version, startedAt: opts.startedAt })
      .then(() => instanceRepository.prune(FORGET_AFTER_MS))
      .catch((error: unknown) => opts.logger.warn({ err: error }, 'could not write the instance heartbeat'));
  void beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await instanceRepository.remove(opts.instanceId).catch((error: unknown) => opts.logger.warn({ err: error }, 'could not remove the instance heartbeat'));
  };
}
