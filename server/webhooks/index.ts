import type { Runtime } from '../runtime/registry';
import { WebhookSettingsCache } from './settings-cache';
import { startOutboxWriter } from './outbox';
import { DeliveryWorker } from './worker';
import { startRetention } from './retention';
import { sessionRoom } from '../realtime/rooms';

/** The running webhook pipeline of this process, as services see it. */
export interface WebhookPipeline {
  settings: WebhookSettingsCache;
  worker: DeliveryWorker;
  /** Drops cached settings of a session (after a change made in this process). */
  invalidate(sessionId: string): void;
  /** Delivers a session's queue now if it is due (after a re-queue). */
  wake(sessionId: string): void;
}

// Kept on the runtime object itself (shared with Next's bundled copy of this module through the
// registry) under a global symbol, so both module copies find the one pipeline.
const PIPELINE = Symbol.for('wago.webhooks');
type WithPipeline = Runtime & { [PIPELINE]?: WebhookPipeline };

/** The pipeline started by startWebhooks for this runtime, if any. */
export function webhookPipelineOf(runtime: Runtime): WebhookPipeline | undefined {
  return (runtime as WithPipeline)[PIPELINE];
}

/**
 * Starts the webhook pipeline: the outbox writer (bus → `webhook_events`), the delivery worker
 * (outbox → receivers, in order per session) and the retention sweep.
 */
export async function startWebhooks(runtime: Runtime): Promise<{ stop(): Promise<void> }> {
  const { config } = runtime;
  const logger = runtime.logger.child({ component: 'webhooks' });
  const settings = new WebhookSettingsCache(runtime.crypto);
  const worker = new DeliveryWorker({
    concurrency: config.WAGO_WEBHOOK_CONCURRENCY,
    timeoutMs: config.WAGO_WEBHOOK_TIMEOUT_MS,
    maxAgeSeconds: config.WAGO_WEBHOOK_MAX_AGE_SECONDS,
    userAgent: `WaGo/${runtime.version}`,
    settings,
    logger,
    onRecorded: (attempt) => runtime.io?.to(sessionRoom(attempt.sessionId)).emit('delivery', attempt),
  });
  const outbox = startOutboxWriter({ bus: runtime.events, settings, logger, onWritten: (sessionId) => worker.wake(sessionId) });
  const pipeline: WebhookPipeline = {
    settings,
    worker,
    invalidate: (sessionId) => settings.invalidate(sessionId),
    wake: (sessionId) => worker.wake(sessionId),
  };
  (runtime as WithPipeline)[PIPELINE] = pipeline;
  worker.start();
  const retention = startRetention({ events: config.WAGO_WEBHOOK_RETENTION_DAYS, attempts: config.WAGO_WEBHOOK_ATTEMPTS_RETENTION_DAYS }, logger);

  return {
    async stop() {
      await outbox.stop();
      await worker.stop();
      await retention.stop();
      settings.clear();
      if ((runtime as WithPipeline)[PIPELINE] === pipeline) delete (runtime as WithPipeline)[PIPELINE];
    },
  };
}
