import type { EventBus } from './bus';
import type { WagoEvent } from './types';
import type { Logger } from '../logger';
import { sessionEventRepository, type LoggedEventInput } from '../repositories/session-event.repository';
import { deleteInBatches, startRetentionSweep } from '../lib/retention-sweep';

const SWEEP_BATCH = 5_000;
/** A flush is started at once beyond this many waiting events. */
const MAX_BATCH = 1_000;

export interface EventLogOptions {
  /** Days events are kept; 0 turns the log off. */
  days: number;
  /** Newest events kept per session. */
  maxPerSession: number;
  /** Longest an event waits before its batch is written. */
  flushMs?: number;
  /** Time between retention sweeps (default an hour; the first runs a minute after start). */
  sweepEveryMs?: number;
}

/**
 * Keeps the event log behind the dashboard's event history: every session event, webhook or
 * not. Off the hot path: a consumer only appends to an array; the events are written in one
 * statement per `flushMs` (250 ms) or per 1,000 events, one batch at a time. The data is read when the batch is
 * written, so it is serialised once per batch. Hourly, events older than `days` and beyond a
 * session's newest `maxPerSession` are deleted.
 */
export function startEventLog(bus: EventBus, logger: Logger, opts: EventLogOptions): { stop(): Promise<void>; flush(): Promise<void> } {
  if (opts.days <= 0) return { stop: async () => {}, flush: async () => {} };
  const log = logger.child({ component: 'event-log' });
  const flushMs = opts.flushMs ?? 250;
  let pending: WagoEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = writing.then(() => {
      const rows: LoggedEventInput[] = batch.map((e) => ({ eventId: e.id, sessionId: e.sessionId, type: e.type, payload: e.data, at: new Date(e.timestamp) }));
      return sessionEventRepository.append(rows).catch((error: unknown) => {
        log.error({ err: error, events: batch.length }, 'could not write events to the event log');
      });
    });
    return writing;
  };

  const unsubscribe = bus.subscribe((event) => {
    pending.push(event);
    if (pending.length >= MAX_BATCH) void flush();
    else timer ??= setTimeout(() => void flush(), flushMs);
  });

  const retention = startRetentionSweep({
    days: opts.days,
    logger,
    component: 'event-log',
    what: 'events',
    deleteOlderThan: (cutoff) => deleteInBatches((batch) => sessionEventRepository.deleteOlderThan(cutoff, batch), SWEEP_BATCH),
    extraPass: { what: `events beyond the newest ${opts.maxPerSession} of a session`, run: () => sessionEventRepository.trimPerSession(opts.maxPerSession) },
    everyMs: opts.sweepEveryMs,
  });

  return {
    flush,
    async stop() {
      unsubscribe();
      const sweepStopped = retention.stop();
      await flush();
      await sweepStopped;
    },
  };
}
