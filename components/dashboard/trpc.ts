'use client';

import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/trpc/router';

/** The dashboard's typed client for `/api/trpc` (the sign-in cookie goes along). */
export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/api/trpc' })],
});

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type DashboardSession = RouterOutputs['session']['list'][number];

/** The message to show for a failed call (the server's "field: problem" line). */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
