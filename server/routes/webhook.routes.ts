import { z } from 'zod';
import { defineRoute } from '../http/route';
import {
  DELIVERIES_MAX_LIMIT,
  DELIVERY_STATUSES,
  SUBSCRIPTION_NAMES,
  WEBHOOK_FORMATS,
  DELIVERY_STATES,
  getWebhook,
  listDeliveries,
  redeliver,
  sendTestEvent,
  updateWebhookSettings,
} from '../services/webhook.service';
import { inspectDelivery } from '../services/webhook-inspector.service';

const TAG = 'Webhooks and realtime';

const webhookSettings = z
  .object({
    WebhookURL: z.string(),
    Events: z.array(z.string()).describe('Subscribed event types; empty or ["All"] = every type'),
    Format: z.enum(WEBHOOK_FORMATS),
    HasSecret: z.boolean().describe('Whether deliveries are signed (X-WaGo-Signature)'),
  })
  .meta({ id: 'WebhookSettings' });

const webhookSettingsAnswer = webhookSettings.extend({
  Secret: z.string().optional().describe('The signing secret: present only in the answer that generated it'),
});

const delivery = z
  .object({
    EventId: z.string(),
    Type: z.string(),
    Status: z.enum(DELIVERY_STATUSES),
    State: z.enum(DELIVERY_STATES).describe('Status, with `failing` for a pending event whose last attempt failed (it waits for a retry)'),
    Attempts: z.number().int(),
    LastStatusCode: z.number().int().nullable(),
    LastError: z.string().nullable(),
    CreatedAt: z.string(),
    NextAttemptAt: z.string().nullable(),
    DeliveredAt: z.string().nullable(),
    Event: z.unknown(),
  })
  .meta({ id: 'WebhookDelivery' });

const eventName = z.enum(SUBSCRIPTION_NAMES, { error: `unknown event type; use "All" or one of ${SUBSCRIPTION_NAMES.slice(1).join(', ')}` });

export const webhookRoutes = [
  defineRoute({
    method: 'POST',
    path: '/webhook',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Read or update the webhook URL for a token.',
    description:
      "Sets the URL that receives this session's events. An empty string turns webhooks off. The first time a URL is set, a signing secret is generated and returned once as `Secret`; `RotateSecret` replaces it (also returned once). See docs/webhooks.md for the delivery format and signature.",
    input: z.object({
      WebhookURL: z.string().max(2048).describe('http(s) URL that receives events; empty to disable'),
      Events: z.array(eventName).max(64).optional().describe('Event types to deliver ("All" or names); unchanged when absent'),
      Format: z.enum(WEBHOOK_FORMATS, { error: 'must be "json" or "form"' }).optional().describe('Body format: json (default) or form (legacy token + jsonData fields)'),
      RotateSecret: z.boolean().optional().describe('Generate a new signing secret, returned once in this answer'),
    }),
    output: webhookSettingsAnswer,
    handler: async ({ input, caller }) =>
      updateWebhookSettings(caller.session.id, { url: input.WebhookURL, events: input.Events, format: input.Format, rotateSecret: input.RotateSecret }),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhook',
    auth: 'session',
    tag: TAG,
    summary: 'Read or update the webhook URL for a token.',
    output: webhookSettings,
    handler: async ({ caller }) => getWebhook(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/webhook/redeliver',
    auth: 'session',
    tag: TAG,
    extension: true,
    summary: 'Send a stored webhook event again, with the same event id.',
    description: "Queues a delivered or dead event of this session again, after the session's pending events. 404 for an id this session does not have; 409 while it is still pending.",
    input: z.object({ EventId: z.uuid('must be an event id (UUID)').describe('X-WaGo-Event-Id of the event') }),
    output: z.object({ EventId: z.string(), Status: z.literal('pending'), Previous: z.enum(DELIVERY_STATUSES) }),
    handler: async ({ input, caller }) => redeliver(caller.session.id, input.EventId),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhook/events',
    auth: 'session',
    tag: TAG,
    extension: true,
    summary: "List this session's recent webhook deliveries.",
    description: 'Newest first: status (pending, delivered, dead), state (the status, or `failing` for a pending event whose last attempt failed), attempts, last status code and error, timestamps and the event.',
    input: z.object({
      Status: z.enum(DELIVERY_STATES, { error: 'must be pending, failing, delivered or dead' }).optional().describe('Only events in this state (failing: pending after a failed attempt)'),
      Limit: z.coerce.number().int().min(1).max(DELIVERIES_MAX_LIMIT).optional().describe(`How many (default 50, at most ${DELIVERIES_MAX_LIMIT})`),
    }),
    output: z.array(delivery),
    handler: async ({ input, caller }) => listDeliveries(caller.session.id, { status: input.Status, limit: input.Limit }),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhook/events/attempts',
    auth: 'session',
    tag: TAG,
    extension: true,
    summary: 'Inspect one webhook delivery: its body and every attempt.',
    description:
      'The stored event, the body it is sent with, and each attempt (oldest first, at most 100): when it started, how long it took, the status code, the error, the first 1 KB of the answer and the request headers as sent (X-WaGo-Signature included; never the secret). 404 for an id this session does not have.',
    input: z.object({ EventId: z.uuid('must be an event id (UUID)').describe('X-WaGo-Event-Id of the event') }),
    output: z
      .object({
        Delivery: delivery,
        Body: z.string(),
        Attempts: z.array(
          z.object({
            Attempt: z.number().int(),
            StartedAt: z.string(),
            DurationMs: z.number().int(),
            StatusCode: z.number().int().nullable(),
            Error: z.string().nullable(),
            ResponseBody: z.string().nullable(),
            Headers: z.record(z.string(), z.string()),
          }),
        ),
      })
      .meta({ id: 'WebhookInspection' }),
    handler: async ({ input, caller }) => inspectDelivery(caller.session.id, input.EventId),
  }),
  defineRoute({
    method: 'POST',
    path: '/webhook/test',
    auth: 'session',
    tag: TAG,
    extension: true,
    summary: 'Send a Test event to the webhook.',
    description: 'Publishes a `Test` event for this session through the normal pipeline (stored, then delivered and signed like any event). Returns its id.',
    output: z.object({ EventId: z.string() }),
    handler: async ({ caller }) => sendTestEvent(caller.session.id),
  }),
];
