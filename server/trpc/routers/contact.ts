import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { listContacts } from '../../services/users/contacts.service';
import { blocklist, setBlocked } from '../../services/users/blocklist.service';

const sessionId = z.object({ sessionId: z.string() });
const oneUser = sessionId.extend({ phone: z.string().trim().min(1, 'is required').max(200) });

/** The session's learned contacts and blocklist, over the same services as the /user REST routes. */
export const contactRouter = router({
  /** Stored: read here, whichever process runs the session. */
  list: sessionProcedure.input(sessionId).query(({ ctx }) => listContacts(ctx.session.id)),
  blocklist: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => blocklist(o.ctx.session.id))),
  block: sessionProcedure.input(oneUser).mutation((o) => onOwner(o, () => setBlocked(o.ctx.session.id, o.input.phone, true))),
  unblock: sessionProcedure.input(oneUser).mutation((o) => onOwner(o, () => setBlocked(o.ctx.session.id, o.input.phone, false))),
});
