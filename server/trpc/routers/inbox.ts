import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { chatThread, CONVERSATIONS_MAX, listConversations, markConversationRead, THREAD_MAX } from '../../services/inbox/inbox.service';
import { sendInboxReply } from '../../services/inbox/inbox-reply.service';

const sessionId = z.object({ sessionId: z.string() });
const chat = sessionId.extend({ chatJid: z.string().trim().min(1, 'is required').max(200) });
/** A base64 data URL of up to ~24 MB of file (WhatsApp's per-kind limits apply when it is sent). */
const DATA_URL_MAX = 32 * 1024 * 1024;

/** The session's chat inbox: conversations and threads from the message store, replies, read marks. */
export const inboxRouter = router({
  /** Stored: read here, whichever process runs the session. */
  conversations: sessionProcedure
    .input(sessionId.extend({ limit: z.number().int().min(1).max(CONVERSATIONS_MAX).optional(), before: z.object({ timestamp: z.iso.datetime(), chatJid: z.string().max(200) }).optional() }))
    .query(({ ctx, input }) => listConversations(ctx.session.id, { limit: input.limit, before: input.before && { timestamp: new Date(input.before.timestamp), chatJid: input.before.chatJid } })),
  thread: sessionProcedure
    .input(chat.extend({ limit: z.number().int().min(1).max(THREAD_MAX).optional(), before: z.iso.datetime().optional() }))
    .query(({ ctx, input }) => chatThread(ctx.session.id, input.chatJid, { limit: input.limit, before: input.before ? new Date(input.before) : undefined })),
  reply: sessionProcedure
    .input(
      chat.extend({
        text: z.string().max(65_536).optional(),
        attachment: z.object({ data: z.string().regex(/^data:[^;,]+;base64,/, 'must be a base64 data URL').max(DATA_URL_MAX, 'is too large'), fileName: z.string().trim().min(1, 'is required').max(255) }).optional(),
        quotedId: z.string().max(200).optional(),
        quotedSender: z.string().max(200).optional(),
      }),
    )
    .mutation((o) => onOwner(o, () => sendInboxReply(o.ctx.session.id, o.input))),
  markRead: sessionProcedure.input(chat).mutation((o) => onOwner(o, () => markConversationRead(o.ctx.session.id, o.input.chatJid))),
});
