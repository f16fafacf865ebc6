import type { Logger } from '../logger';
import { webhookEventRepository } from '../repositories/webhook-event.repository';
import { webhookAttemptRepository } from '../repositories/webhook-attempt.repository';

const BATCH = 5_000;
const DAY_MS = 24 * 3600 * 1000;

async function sweep(remove: (cutoff: Date, batch: number) => Promise<number>, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await remove(cutoff, BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Deletes delivered and dead outbox rows finished more than `retentionDays` ago; returns how many. */
export async function sweepWebhookEvents(retentionDays: number, now = Date.now()): Promise<number> {
  return sweep((cutoff, batch) => webhookEventRepository.deleteFinishedBefore(cutoff, batch), new Date(now - retentionDays * DAY_MS));
}

/** Deletes delivery attempts started more than `retentionDays` ago; returns how many. */
export async function sweepWebhookAttempts(retentionDays: number, now = Date.now()): Promise<number> {
  return sweep((cutoff, batch) => webhookAttemptRepository.deleteStartedBefore(cutoff, batch), new Date(now - retentionDays * DAY_MS));
}

export interface RetentionDays {
  events: number;
  attempts: number;
}

/** Runs both sweeps at start and then every `intervalMs` (hourly by default). */
export function startRetention(days: RetentionDays, logger: Logger, intervalMs = 3600_000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = (async () => {
      const events = await sweepWebhookEvents(days.events);
      if (events > 0) logger.info({ deleted: events, retentionDays: days.events }, 'old webhook events deleted');
      const attempts = await sweepWebhookAttempts(days.attempts);
      if (attempts > 0) logger.info({ deleted: attempts, retentionDays: days.attempts }, 'old webhook delivery attempts deleted');
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'webhook retention sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
