import { z } from 'zod';
import { router, sessionProcedure } from '../init';
import {
  DELIVERY_STATES,
  SUBSCRIPTION_NAMES,
  WEBHOOK_FORMATS,
  getWebhook,
  listDeliveries,
  redeliver,
  sendTestEvent,
  updateWebhookSettings,
} from '../../services/webhook.service';
import { inspectDelivery } from '../../services/webhook-inspector.service';

const sessionId = z.object({ sessionId: z.string() });

/** A session's webhook: settings, test event, deliveries (inspected one by one) and redelivery. */
export const webhookRouter = router({
  get: sessionProcedure.input(sessionId).query(({ ctx }) => getWebhook(ctx.session.id)),
  update: sessionProcedure
    .input(
      sessionId.extend({
        url: z.string().max(2048),
        events: z.array(z.enum(SUBSCRIPTION_NAMES)).optional(),
        format: z.enum(WEBHOOK_FORMATS).optional(),
        rotateSecret: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateWebhookSettings(ctx.session.id, input)),
  test: sessionProcedure.input(sessionId).mutation(({ ctx }) => sendTestEvent(ctx.session.id, 'Test event from the WaGo dashboard')),
  deliveries: sessionProcedure
    .input(sessionId.extend({ status: z.enum(DELIVERY_STATES).optional(), limit: z.number().int().min(1).max(200).optional() }))
    .query(({ ctx, input }) => listDeliveries(ctx.session.id, { status: input.status, limit: input.limit ?? 50 })),
  inspect: sessionProcedure.input(sessionId.extend({ eventId: z.uuid() })).query(({ ctx, input }) => inspectDelivery(ctx.session.id, input.eventId)),
  redeliver: sessionProcedure.input(sessionId.extend({ eventId: z.uuid() })).mutation(({ ctx, input }) => redeliver(ctx.session.id, input.eventId)),
});
