import { z } from 'zod';
import { authedProcedure, router } from '../init';
import { requireSessionAccess } from '../../services/access.service';
import { EVENT_HISTORY_MAX, listEventHistory } from '../../services/event-log.service';

/** A named session is checked before the input is: another tenant's answers NOT_FOUND, whatever else was sent. */
const sessionChecked = authedProcedure.use(async ({ ctx, next, getRawInput }) => {
  const raw = (await getRawInput()) as { sessionId?: unknown } | undefined;
  if (raw && typeof raw === 'object' && raw.sessionId !== undefined) await requireSessionAccess(ctx.actor, typeof raw.sessionId === 'string' ? raw.sessionId : '');
  return next();
});

/** The event history (the event log): one session's, or every session the account may see. */
export const eventRouter = router({
  list: sessionChecked
    .input(
      z.object({
        sessionId: z.string().max(100).optional(),
        type: z.string().max(50).optional(),
        search: z.string().max(200).optional(),
        before: z.string().max(20).optional(),
        limit: z.number().int().min(1).max(EVENT_HISTORY_MAX).optional(),
      }),
    )
    .query(({ ctx, input }) => listEventHistory(ctx.actor, input)),
});
