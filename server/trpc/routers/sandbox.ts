import { z } from 'zod';
import { authedProcedure, onOwner, router, sessionProcedure } from '../init';
import { linkWithSimulatedPhone, sandboxInfo } from '../../services/sandbox.service';

/** Sandbox mode: simulated phones that link sessions with no real WhatsApp. */
export const sandboxRouter = router({
  info: authedProcedure.query(() => sandboxInfo()),
  link: sessionProcedure
    .input(z.object({ sessionId: z.string(), phone: z.string().optional() }))
    .mutation((o) => onOwner(o, () => linkWithSimulatedPhone(o.ctx.session.id, o.input.phone))),
});
