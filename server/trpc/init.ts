import { initTRPC } from '@trpc/server';
import { getRuntime, type Runtime } from '../runtime/registry';

/** Per-request tRPC context: live objects come from the runtime registry, never module state. */
export interface TrpcContext {
  runtime: Runtime;
}

export function createTrpcContext(): TrpcContext {
  return { runtime: getRuntime() };
}

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
