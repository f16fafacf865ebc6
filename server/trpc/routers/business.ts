import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { businessView } from '../../services/business/business-view.service';

const sessionId = z.object({ sessionId: z.string() });

/** This account's business profile and catalog, read-only, over the /business services. */
export const businessRouter = router({
  view: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => businessView(o.ctx.session.id))),
});
