'use client';

import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/trpc/router';
import { describeFailure, type DashboardError } from './error-wording';

/** The dashboard's typed client for `/api/trpc` (the sign-in cookie goes along). */
export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/api/trpc' })],
});

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type DashboardSession = RouterOutputs['session']['list'][number];

/** tRPC's error code of a failed call, when the server answered one. */
function codeOf(error: TRPCClientError<AppRouter>): string | undefined {
  const data: unknown = error.data;
  return data && typeof data === 'object' && 'code' in data && typeof data.code === 'string' ? data.code : undefined;
}

/**
 * A failed call in dashboard words (see error-wording.ts), with the fix the page can offer.
 * `action`: the failure of something the user did (a button), not of a background refresh.
 */
export function describeError(error: unknown, opts: { action?: boolean } = {}): DashboardError {
  if (error instanceof TRPCClientError) {
    const code = codeOf(error as TRPCClientError<AppRouter>);
    return describeFailure({ message: error.message, code, answered: code !== undefined }, opts);
  }
  const message = error instanceof Error ? error.message : String(error);
  return describeFailure({ message, answered: !(error instanceof TypeError) }, opts);
}

/** The message to show for a failed call, in dashboard words. */
export function errorMessage(error: unknown, opts: { action?: boolean } = {}): string {
  return describeError(error, opts).message;
}

/** Whether a failed call never reached the server (worth retrying on its own). */
export function isUnreachable(error: unknown): boolean {
  return describeError(error).unreachable;
}
