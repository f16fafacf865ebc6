import { z } from 'zod';
import { defineRoute } from '../http/route';
import { contextInfo, messageId, phone, sendAnswer } from './schemas';
import { sendText } from '../services/messaging/send-text.service';

export const sendRoutes = [
  defineRoute({
    method: 'POST',
    path: '/send/text',
    auth: 'session',
    tag: 'Sending messages',
    summary: 'Send message.',
    description: 'Sends a text. With `ContextInfo.StanzaId` it replies to (quotes) that message; `ContextInfo.MentionedJID` mentions users.',
    input: z.object({
      Phone: phone(),
      Body: z.string().min(1, 'must not be empty').max(65_536).describe('Text of the message'),
      Id: messageId.optional(),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendText(caller.session.id, input),
  }),
];
