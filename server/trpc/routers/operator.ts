import { z } from 'zod';
import { adminProcedure, authedProcedure, onOwner, router, sessionProcedure } from '../init';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-key.service';
import { listSessionsPage, PAGE_SIZES } from '../../services/session-list.service';
import { getSessionSettings, updateSessionSettings } from '../../services/session-settings.service';
import { listServers, serverSessions } from '../../services/servers.service';

const STATES = ['disconnected', 'connecting', 'qr', 'pairing', 'connected', 'logged_out', 'failed'] as const;

/** The sessions list page: server-side search, filters and pagination. */
export const sessionListRouter = router({
  page: authedProcedure
    .input(
      z
        .object({
          search: z.string().max(200, 'must be at most 200 characters').optional(),
          state: z.enum(STATES).optional(),
          ownerId: z.uuid().optional(),
          failing: z.boolean().optional(),
          page: z.number().int().min(1).max(1_000_000).optional(),
          pageSize: z.union(PAGE_SIZES.map((n) => z.literal(n))).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listSessionsPage(ctx.actor, input ?? {})),
});

/** The account's own API keys (used as `admintoken`, scoped to the account's sessions). */
export const apiKeyRouter = router({
  list: authedProcedure.query(({ ctx }) => listApiKeys(ctx.actor)),
  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters') }))
    .mutation(({ ctx, input }) => createApiKey(ctx.actor, input.name)),
  revoke: authedProcedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => revokeApiKey(ctx.actor, input.id)),
});

const sessionId = z.object({ sessionId: z.string() });

/** A session's behaviour settings (the same service as GET/POST /session/settings). */
export const sessionSettingsRouter = router({
  get: sessionProcedure.input(sessionId).query(({ ctx }) => getSessionSettings(ctx.session.id)),
  update: sessionProcedure
    .input(
      sessionId.extend({
        rejectCalls: z.boolean().optional(),
        rejectCallMessage: z.string().max(4096, 'must be at most 4096 characters').nullable().optional(),
        ignoreGroups: z.boolean().optional(),
        ignoreStatus: z.boolean().optional(),
        alwaysOnline: z.boolean().optional(),
        readOnReceipt: z.boolean().optional(),
      }),
    )
    .mutation((o) => {
      const { sessionId: _id, ...patch } = o.input;
      return onOwner(o, () => updateSessionSettings(o.ctx.session.id, patch));
    }),
});

/** Admin: the WaGo processes sharing the database. */
export const serversRouter = router({
  list: adminProcedure.query(() => listServers()),
  sessions: adminProcedure.input(z.object({ instanceId: z.string().min(1).max(200) })).query(({ input }) => serverSessions(input.instanceId)),
});
