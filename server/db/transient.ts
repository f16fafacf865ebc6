import type { Logger } from '../logger';

/** Error codes of a database that is unreachable or restarting, not of a bad statement. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, connection exceptions
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
  // Prisma: can't reach the server, timed out, server closed the connection, pool timeout
  'P1001', 'P1002', 'P1017', 'P2024',
]);
const TRANSIENT_TEXT = /connection terminated|connection (is )?closed|server closed the connection|can't reach database|terminating connection|the database system is (starting up|shutting down)|ECONNREFUSED|ECONNRESET/i;

/** Whether an error says the database could not be reached (it is worth trying again), looking through causes. */
export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (typeof e !== 'object') return TRANSIENT_TEXT.test(String(e));
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof message === 'string' && TRANSIENT_TEXT.test(message)) return true;
    e = cause;
  }
  return false;
}

export interface RetryOptions {
  logger: Logger;
  /** What is being written, for the log. */
  what: string;
  /** Stops retrying (the last error is thrown) once this returns true, e.g. at shutdown. */
  stopped?: () => boolean;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `write`, and again after 0.2 s, 0.4 s… (at most 5 s apart) for as long as it fails because
 * the database cannot be reached; any other error is thrown at once. A restarted PostgreSQL is
 * thus caught up with, without a manual step.
 */
export async function retryWhileUnreachable<T>(write: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let delay = opts.firstDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await write();
      if (attempt > 1) opts.logger.info({ attempts: attempt }, `${opts.what}: written after the database came back`);
      return result;
    } catch (error) {
      if (!isTransientDbError(error) || opts.stopped?.()) throw error;
      if (attempt === 1) opts.logger.warn({ err: error }, `${opts.what}: the database cannot be reached; trying again until it can`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
    }
  }
}
