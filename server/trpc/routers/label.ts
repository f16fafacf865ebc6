import { z } from 'zod';
import { router, sessionProcedure } from '../init';
import { labelsOverview } from '../../services/labels/label-view.service';

const sessionId = z.object({ sessionId: z.string() });

/** The session's stored WhatsApp Business labels (read from the database: no socket needed). */
export const labelRouter = router({
  list: sessionProcedure.input(sessionId).query(({ ctx }) => labelsOverview(ctx.session.id)),
});
