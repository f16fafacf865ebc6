import { z } from 'zod';
import { defineRoute } from '../http/route';
import { needs, sendAnswer } from './schemas';
import { listBots, sendBotMessage } from '../services/bots/bots.service';

const TAG = 'Bots';

export const botRoutes = [
  defineRoute({
    method: 'POST',
    path: '/bot/message',
    auth: 'session',
    tag: TAG,
    summary: 'Send bot message.',
    description:
      "Sends `Body` to the WhatsApp bot persona `PersonaID` (one of GET /bot/list). The bot's answer arrives as a `Message` event from the bot's JID. 404 when WhatsApp lists no such persona.",
    input: needs(
      z.object({
        Body: z.string().trim().min(1, 'must not be empty').max(4096).optional().describe('Text for the bot'),
        PersonaID: z.string().min(1, 'must not be empty').max(128).optional().describe('Bot persona id, from GET /bot/list'),
      }),
      'Body',
      'PersonaID',
    ),
    output: sendAnswer.extend({ PersonaID: z.string() }),
    handler: async ({ input, caller }) => sendBotMessage(caller.session.id, input.Body, input.PersonaID),
  }),
  defineRoute({
    method: 'GET',
    path: '/bot/list',
    auth: 'session',
    tag: TAG,
    summary: 'Get bot profiles.',
    description: 'The bot profiles WhatsApp offers the account: each bot JID with its persona id.',
    output: z.object({ Bots: z.array(z.object({ Jid: z.string(), PersonaID: z.string() })) }),
    handler: async ({ caller }) => listBots(caller.session.id),
  }),
];
