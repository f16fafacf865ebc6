import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getWebhook, setWebhook } from '../services/webhook.service';

const webhookSettings = z
  .object({ WebhookURL: z.string(), Events: z.array(z.string()) })
  .meta({ id: 'WebhookSettings' });

export const webhookRoutes = [
  defineRoute({
    method: 'POST',
    path: '/webhook',
    auth: 'session',
    tag: 'Webhooks and realtime',
    summary: 'Read or update the webhook URL for a token.',
    description: 'Sets the URL that receives this session\'s events. An empty string turns webhooks off.',
    input: z.object({
      WebhookURL: z.string().max(2048).describe('http(s) URL that receives events; empty to disable'),
    }),
    output: webhookSettings,
    handler: async ({ input, caller }) => setWebhook(caller.session.id, input.WebhookURL),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhook',
    auth: 'session',
    tag: 'Webhooks and realtime',
    summary: 'Read or update the webhook URL for a token.',
    output: webhookSettings,
    handler: async ({ caller }) => getWebhook(caller.session.id),
  }),
];
