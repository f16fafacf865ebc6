import { getRuntime } from '../runtime/registry';
import type { WebhookAttempt } from '../generated/prisma/client';

export type WebhookAttemptRow = WebhookAttempt;

/** One delivery attempt as the worker records it. */
export interface NewWebhookAttempt {
  sessionId: string;
  eventId: string;
  attempt: number;
  /** ms since the epoch. */
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** At most 1 KB of the receiver's answer. */
  responseBody: string | null;
  /** X-WaGo-Signature as sent, or null without a secret. */
  signature: string | null;
  format: 'json' | 'form';
}

const db = () => getRuntime().prisma;

/**
 * Delivery attempts (`webhook_attempts`). The worker writes them in the same statement as the
 * results of its batch (see webhookEventRepository.settle); reads always take the session id.
 */
export const webhookAttemptRepository = {
  /** An event's attempts, oldest first (a redelivered event's earlier ones included). */
  listForEvent(sessionId: string, eventId: string, limit: number): Promise<WebhookAttemptRow[]> {
    return db().webhookAttempt.findMany({ where: { sessionId, eventId }, orderBy: { id: 'asc' }, take: limit });
  },

  /** Deletes up to `batch` attempts started before `cutoff`; returns how many. */
  async deleteStartedBefore(cutoff: Date, batch: number): Promise<number> {
    return db().$executeRaw`
      DELETE FROM webhook_attempts WHERE id IN (
        SELECT id FROM webhook_attempts WHERE started_at < ${cutoff} LIMIT ${batch})`;
  },
};
