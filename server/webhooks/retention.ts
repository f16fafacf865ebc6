import type { Logger } from '../logger';
import { webhookEventRepository } from '../repositories/webhook-event.repository';

const BATCH = 5_000;
const DAY_MS = 24 * 3600 * 1000;

/** Deletes delivered and dead outbox rows finished more than `retentionDays` ago; returns how many. */
export async function sweepWebhookEvents(retentionDays: number, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - retentionDays * DAY_MS);
  let total = 0;
  for (;;) {
    const deleted = await webhookEventRepository.deleteFinishedBefore(cutoff, BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Runs the sweep at start and then every `intervalMs` (hourly by default). */
export function startRetention(retentionDays: number, logger: Logger, intervalMs = 3600_000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const sweep = () => {
    if (running) return;
    running = sweepWebhookEvents(retentionDays)
      .then((deleted) => {
        if (deleted > 0) logger.info({ deleted, retentionDays }, 'old webhook events deleted');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'webhook retention sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  sweep();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
