import { TRPCError } from '@trpc/server';
import type { Runtime } from '../runtime/registry';

/**
 * Counts one dashboard call against the signed-in account's bucket (`WAGO_RATE_LIMIT_DASHBOARD`,
 * in the same store as the REST API's limits, so every process shares it). Over the limit the
 * call fails with TOO_MANY_REQUESTS before any work is done, saying when to retry; a refused
 * call is not counted.
 */
export async function limitDashboardCall(runtime: Runtime, accountId: string): Promise<void> {
  const limiter = runtime.rateLimiter;
  if (!limiter) return;
  const decision = await limiter.take('dashboard', accountId);
  if (decision.allowed) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `too many dashboard calls from this account (limit ${limiter.describe('dashboard')}); retry in ${seconds} s`,
  });
}
