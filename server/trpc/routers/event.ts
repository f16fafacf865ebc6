import { z } from 'zod';
import { authedProcedure, router } from '../init';
import { EVENT_HISTORY_MAX, listEventHistory } from '../../services/event-log.service';

/** The event history (the event log): one session's, or every session the account may see. */
export const eventRouter = router({
  list: authedProcedure
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
