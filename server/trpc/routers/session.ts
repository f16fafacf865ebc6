import { z } from 'zod';
import { authedProcedure, onOwner, router, sessionProcedure } from '../init';
import { listSessionsFor, sessionDetailFor } from '../../services/access.service';
import { createSession, deleteSession, regenerateSessionToken, renameSession } from '../../services/session.service';
import { connectSession, disconnectSession, getSessionQr, getSessionStatus, logoutSession, pairSession } from '../../services/session-runtime.service';

const sessionId = z.object({ sessionId: z.string() });
const sessionName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** Sessions: list, create, rename, delete, link (QR or pairing code), connect, disconnect, logout, token. */
export const sessionRouter = router({
  list: authedProcedure.input(z.object({ ownerId: z.uuid().optional() }).optional()).query(({ ctx, input }) => listSessionsFor(ctx.actor, input ?? {})),
  get: sessionProcedure.input(sessionId).query(({ ctx }) => sessionDetailFor(ctx.actor, ctx.session.id)),
  status: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => getSessionStatus(o.ctx.session.id))),
  create: authedProcedure
    .input(z.object({ name: sessionName }))
    .mutation(({ ctx, input }) => createSession({ name: input.name, ownerId: ctx.actor.id })),
  rename: sessionProcedure.input(sessionId.extend({ name: sessionName })).mutation(({ ctx, input }) => renameSession(ctx.session.id, input.name)),
  delete: sessionProcedure.input(sessionId).mutation((o) =>
    onOwner(o, async () => {
      await deleteSession(o.ctx.session.id);
      return { deleted: true };
    }),
  ),
  connect: sessionProcedure.input(sessionId).mutation((o) => onOwner(o, () => connectSession(o.ctx.session.id, { immediate: true }))),
  disconnect: sessionProcedure.input(sessionId).mutation((o) => onOwner(o, () => disconnectSession(o.ctx.session.id))),
  logout: sessionProcedure.input(sessionId).mutation((o) => onOwner(o, () => logoutSession(o.ctx.session.id))),
  qr: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => getSessionQr(o.ctx.session.id))),
  pair: sessionProcedure
    .input(sessionId.extend({ phone: z.string().min(1, 'is required') }))
    .mutation((o) => onOwner(o, () => pairSession(o.ctx.session.id, o.input.phone))),
  regenerateToken: sessionProcedure.input(sessionId).mutation(({ ctx }) => regenerateSessionToken(ctx.session.id)),
});
