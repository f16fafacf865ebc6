import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getRuntime } from '../runtime/registry';

export const serverRoutes = [
  defineRoute({
    method: 'GET',
    path: '/server/ok',
    auth: 'none',
    tag: 'Server and admin',
    summary: 'Health check: answers when the server is up.',
    output: z.object({ status: z.literal('ok'), version: z.string(), uptime: z.number() }),
    handler: async () => {
      const runtime = getRuntime();
      return {
        status: 'ok' as const,
        version: runtime.version,
        uptime: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
      };
    },
  }),
];
