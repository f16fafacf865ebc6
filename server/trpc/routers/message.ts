import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { listMessageLog, MESSAGE_LOG_MAX } from '../../services/message-log.service';
import { sendText } from '../../services/messaging/send-text.service';

const sessionId = z.object({ sessionId: z.string() });

/** A session's message log and the dashboard's "send a test message". */
export const messageRouter = router({
  list: sessionProcedure
    .input(
      sessionId.extend({
        search: z.string().max(200).optional(),
        chatJid: z.string().max(200).optional(),
        before: z.iso.datetime().optional(),
        limit: z.number().int().min(1).max(MESSAGE_LOG_MAX).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listMessageLog(ctx.session.id, { search: input.search, chatJid: input.chatJid, before: input.before ? new Date(input.before) : undefined, limit: input.limit }),
    ),
  sendText: sessionProcedure
    .input(sessionId.extend({ phone: z.string().trim().min(1, 'is required').max(200), body: z.string().min(1, 'must not be empty').max(65_536) }))
    .mutation((o) => onOwner(o, () => sendText(o.ctx.session.id, { Phone: o.input.phone, Body: o.input.body }))),
});
