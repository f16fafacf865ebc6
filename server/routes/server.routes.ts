import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getRuntime } from '../runtime/registry';
import { serverStats } from '../services/server-stats.service';

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
  defineRoute({
    method: 'GET',
    path: '/server/stats',
    auth: 'admin',
    tag: 'Server and admin',
    summary: 'Process health: sessions running, memory, event-loop delay.',
    description: 'WaGo extension. `Reset=true` starts a new event-loop measurement window after answering.',
    extension: true,
    local: true,
    input: z.object({ Reset: z.enum(['true', 'false']).optional().describe('Reset the event-loop histogram after reading') }),
    output: z.object({
      version: z.string(),
      instanceId: z.string(),
      uptimeSeconds: z.number(),
      sessionsRunning: z.number(),
      memory: z.object({ rssMb: z.number(), heapUsedMb: z.number() }),
      eventLoop: z.object({ meanMs: z.number(), p99Ms: z.number(), maxMs: z.number(), sinceReset: z.string() }),
    }),
    handler: async ({ input }) => serverStats(input.Reset === 'true'),
  }),
];
