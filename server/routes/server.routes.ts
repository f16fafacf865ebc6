import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getRuntime } from '../runtime/registry';
import { serverStats } from '../services/server-stats.service';
import { licenseFacts } from '../services/server-admin/license.service';
import { checkForUpdate } from '../services/server-admin/update-check.service';

const TAG = 'Server and admin';

export const serverRoutes = [
  defineRoute({
    method: 'GET',
    path: '/server/ok',
    auth: 'none',
    tag: TAG,
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
    tag: TAG,
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
  defineRoute({
    method: 'POST',
    path: '/server/license',
    auth: 'admin',
    tag: TAG,
    summary: 'Read license information.',
    description: 'The licence and edition facts of this installation: licence, version and build. WaGo is open software with no licence key: there is nothing to activate or verify, and the answer says so.',
    output: z
      .object({
        License: z.string().nullable().describe('The licence the package declares (SPDX id), or null'),
        LicenseKey: z.literal('none').describe('WaGo has no licence keys'),
        Edition: z.literal('open source'),
        Version: z.string(),
        Build: z.string().nullable().describe('WAGO_BUILD of this installation (e.g. a commit hash), or null'),
        Node: z.string().describe('Node.js version running WaGo'),
        Details: z.string(),
      })
      .meta({ id: 'LicenseAnswer' }),
    handler: async () => licenseFacts(),
  }),
  defineRoute({
    method: 'GET',
    path: '/server/update',
    auth: 'admin',
    tag: TAG,
    summary: 'Check or run server update flow.',
    description:
      'Reports the running version and, when WAGO_UPDATE_FEED_URL is set, whether the release feed names a newer release. It only checks: it never downloads, installs or changes anything. `Status` says plainly when no feed is configured (`not-configured`) or the feed cannot be read (`unreachable`).',
    output: z
      .object({
        CurrentVersion: z.string(),
        Status: z.enum(['not-configured', 'unreachable', 'up-to-date', 'update-available']),
        UpdateAvailable: z.boolean().nullable().describe('null when no check could be made'),
        FeedUrl: z.string().nullable(),
        LatestVersion: z.string().nullable(),
        ReleaseUrl: z.string().nullable(),
        Notes: z.string().nullable(),
        PublishedAt: z.string().nullable(),
        CheckedAt: z.string(),
        Details: z.string(),
      })
      .meta({ id: 'UpdateAnswer' }),
    handler: async () => checkForUpdate(),
  }),
];
