import type { Logger } from '../logger';
import { webhookEventRepository } from '../repositories/webhook-event.repository';
import { webhookAttemptRepository } from '../repositories/webhook-attempt.repository';
import { deleteInBatches, startRetentionSweep } from '../lib/retention-sweep';

const BATCH = 5_000;
const DAY_MS = 24 * 3600 * 1000;

/** Deletes delivered and dead outbox rows finished before `cutoff`; returns how many. */
function deleteEventsFinishedBefore(cutoff: Date): Promise<number> {
  return deleteInBatches((batch) => webhookEventRepository.deleteFinishedBefore(cutoff, batch), BATCH);
}

/** Deletes delivery attempts started before `cutoff`; returns how many. */
function deleteAttemptsStartedBefore(cutoff: Date): Promise<number> {
  return deleteInBatches((batch) => webhookAttemptRepository.deleteStartedBefore(cutoff, batch), BATCH);
}

/** Deletes delivered and dead outbox rows finished more than `retentionDays` ago; returns how many. */
export async function sweepWebhookEvents(retentionDays: number, now = Date.now()): Promise<number> {
  return deleteEventsFinishedBefore(new Date(now - retentionDays * DAY_MS));
}

/** Deletes delivery attempts started more than `retentionDays` ago; returns how many. */
export async function sweepWebhookAttempts(retentionDays: number, now = Date.now()): Promise<number> {
  return deleteAttemptsStartedBefore(new Date(now - retentionDays * DAY_MS));
}

export interface RetentionDays {
  events: number;
  attempts: number;
}

/**
 * Runs both sweeps at start and then every `intervalMs` (hourly by default). 0 days keeps nothing:
 * finished events, or attempts, are deleted at the next sweep.
 */
export function startRetention(days: RetentionDays, logger: Logger, intervalMs = 3600_000): { stop(): Promise<void> } {
  const common = { logger, component: 'webhook-retention', zeroDays: 'delete-all', firstDelayMs: 0, everyMs: intervalMs } as const;
  const sweeps = [
    startRetentionSweep({ ...common, days: days.events, what: 'webhook events', deleteOlderThan: deleteEventsFinishedBefore }),
    startRetentionSweep({ ...common, days: days.attempts, what: 'webhook delivery attempts', deleteOlderThan: deleteAttemptsStartedBefore }),
  ];
  return {
    async stop() {
      await Promise.all(sweeps.map((sweep) => sweep.stop()));
    },
  };
}
