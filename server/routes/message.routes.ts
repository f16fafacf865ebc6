import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getMessageStatus } from '../services/message-status.service';

export const messageRoutes = [
  defineRoute({
    method: 'POST',
    path: '/message/status',
    auth: 'session',
    tag: 'Messages',
    summary: 'Get message status.',
    description: 'The stored status of a message (sent, delivered, read, played; received for incoming ones) with its history.',
    local: true,
    input: z.object({ Id: z.string().min(1).max(128).describe('WhatsApp message id') }),
    output: z.object({
      Id: z.string(),
      Chat: z.string(),
      FromMe: z.boolean(),
      Status: z.string(),
      Timestamp: z.number(),
      History: z.array(z.object({ Status: z.string(), Participant: z.string().nullable(), At: z.string() })),
    }),
    handler: async ({ input, caller }) => getMessageStatus(caller.session.id, input.Id),
  }),
];
