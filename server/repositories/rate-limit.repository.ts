import { getRuntime } from '../runtime/registry';
import type { GcraParams } from '../lib/rate-limit/gcra';

const db = () => getRuntime().prisma;

/** PostgreSQL's clock in ms, one value for the whole statement (every process uses the database's clock). */
const NOW_MS = `(extract(epoch from statement_timestamp()) * 1000)::float8`;

/** Rate-limit buckets shared by every process on the database (see lib/rate-limit/gcra.ts). */
export const rateLimitRepository = {
  /**
   * One GCRA step as a single atomic UPSERT: a row comes back only when the request is let in
   * (the conflict update's WHERE is the admission test); a refusal reads how long to wait.
   */
  async take(key: string, { intervalMs, toleranceMs }: GcraParams): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const admitted = await db().$queryRawUnsafe<Array<{ tat_ms: number }>>(
      `INSERT INTO rate_limit_buckets AS b (key, tat_ms) VALUES ($1, ${NOW_MS} + $2)
       ON CONFLICT (key) DO UPDATE SET tat_ms = GREATEST(b.tat_ms, ${NOW_MS}) + $2
       WHERE GREATEST(b.tat_ms, ${NOW_MS}) - ${NOW_MS} <= $3
       RETURNING tat_ms`,
      key,
      intervalMs,
      toleranceMs,
    );
    if (admitted.length > 0) return { allowed: true, retryAfterMs: 0 };
    const [row] = await db().$queryRawUnsafe<Array<{ wait_ms: number }>>(
      `SELECT (tat_ms - ${NOW_MS} - $2)::float8 AS wait_ms FROM rate_limit_buckets WHERE key = $1`,
      key,
      toleranceMs,
    );
    return { allowed: false, retryAfterMs: Math.max(0, row?.wait_ms ?? 0) };
  },

  /** Drops buckets idle long enough to be full again (their TAT is in the past). */
  async deleteIdle(olderThanMs: number): Promise<number> {
    return db().$executeRawUnsafe(`DELETE FROM rate_limit_buckets WHERE tat_ms < ${NOW_MS} - $1`, olderThanMs);
  },
};
