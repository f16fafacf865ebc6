import type { Logger } from '../logger';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RetentionSweep {
  /** Days to keep. 0 (or less) keeps everything and no sweep runs, unless `zeroDays` is 'delete-all'. */
  days: number;
  /** What 0 days means: 'keep-all' (default: no sweep) or 'delete-all' (each sweep deletes every row it may). */
  zeroDays?: 'keep-all' | 'delete-all';
  logger: Logger;
  /** Log component, e.g. "message-retention". */
  component: string;
  /** What is deleted, for the log lines ("messages", "audit entries"). */
  what: string;
  /** Deletes the rows older than the cutoff; resolves with how many went. */
  deleteOlderThan(cutoff: Date): Promise<number>;
  /** A pass run after the age one in each sweep (e.g. a cap per session); resolves with how many went. */
  extraPass?: { what: string; run(): Promise<number> };
  /** When the first sweep runs after start (default a minute; 0: at once). */
  firstDelayMs?: number;
  /** Time between sweeps (default an hour). */
  everyMs?: number;
}

export interface RunningSweep {
  /** Stops the timers; resolves when a sweep under way has finished. */
  stop(): Promise<void>;
}

/**
 * Deletes rows past their retention: a first sweep a minute after start (or `firstDelayMs`), then
 * hourly (or `everyMs`). A sweep is skipped while the previous one still runs; a failed sweep is
 * logged and the next one tries again.
 */
export function startRetentionSweep(opts: RetentionSweep): RunningSweep {
  if (opts.days <= 0 && opts.zeroDays !== 'delete-all') return { stop: async () => {} };
  const log = opts.logger.child({ component: opts.component });
  let running: Promise<void> | undefined;
  const pass = async () => {
    const cutoff = new Date(Date.now() - Math.max(opts.days, 0) * DAY);
    const deleted = await opts.deleteOlderThan(cutoff);
    if (deleted) log.info({ deleted, cutoff }, `deleted ${opts.what} past retention`);
    if (!opts.extraPass) return;
    const extra = await opts.extraPass.run();
    if (extra) log.info({ deleted: extra }, `deleted ${opts.extraPass.what}`);
  };
  const sweep = () => {
    if (running) return;
    running = pass()
      .catch((error: unknown) => log.error({ err: error }, `${opts.what} retention sweep failed`))
      .finally(() => {
        running = undefined;
      });
  };
  const firstDelayMs = opts.firstDelayMs ?? MINUTE;
  const first = firstDelayMs > 0 ? setTimeout(sweep, firstDelayMs) : undefined;
  first?.unref();
  const timer = setInterval(sweep, opts.everyMs ?? HOUR);
  timer.unref();
  if (firstDelayMs <= 0) sweep();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Deletes in batches of `batch` rows until a batch comes back short, so that no single statement
 * holds its locks for long; resolves with how many went in all.
 */
export async function deleteInBatches(remove: (batch: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await remove(batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}
