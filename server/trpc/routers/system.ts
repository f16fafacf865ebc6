import { adminProcedure, publicProcedure, router } from '../init';
import { serverStats } from '../../services/server-stats.service';

export const systemRouter = router({
  /** Server health as the dashboard shows it; `instanceId` identifies the runtime registry. */
  health: publicProcedure.query(({ ctx }) => ({
    status: 'ok' as const,
    version: ctx.runtime.version,
    instanceId: ctx.runtime.instanceId,
    startedAt: ctx.runtime.startedAt.toISOString(),
    socketIo: ctx.runtime.io !== undefined,
  })),
  /** Admin: this process's figures (sessions, memory, event-loop delay…). */
  stats: adminProcedure.query(() => serverStats()),
});
