import type { Logger } from '../logger';

const HOUR = 3_600_000;

export interface RetentionSweep {
  /** Days to keep; 0 or less keeps everything (no sweep runs). */
  days: number;
  logger: Logger;
  /** Log component, e.g. "message-retention". */
  component: string;
  /** What is deleted, for the log lines ("messages", "audit entries"). */
  what: string;
  /** Deletes the rows older than the cutoff; resolves with how many went. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/**
 * Deletes rows past their retention: a first sweep a minute after start, then hourly. A failed
 * sweep is logged and the next one tries again.
 */
export function startRetentionSweep(opts: RetentionSweep): { stop(): void } {
  if (opts.days <= 0) return { stop: () => {} };
  const log = opts.logger.child({ component: opts.component });
  const sweep = () => {
    const cutoff = new Date(Date.now() - opts.days * 24 * HOUR);
    opts.deleteOlderThan(cutoff).then(
      (deleted) => {
        if (deleted) log.info({ deleted, cutoff }, `deleted ${opts.what} past retention`);
      },
      (error: unknown) => log.error({ err: error }, `${opts.what} retention sweep failed`),
    );
  };
  const first = setTimeout(sweep, 60_000);
  const timer = setInterval(sweep, HOUR);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
