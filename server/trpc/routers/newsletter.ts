import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { listNewsletters } from '../../services/newsletters/newsletters.service';

const sessionId = z.object({ sessionId: z.string() });

/** The channels the account follows, over the same service as GET /newsletter/list. */
export const newsletterRouter = router({
  list: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => listNewsletters(o.ctx.session.id))),
});
