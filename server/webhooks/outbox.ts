import type { Logger } from '../logger';
import type { EventBus } from '../events/bus';
import { isEventType, isSubscribed, type WagoEvent } from '../events/types';
import { webhookEventRepository, isDuplicateEventError, isMissingSessionError, type NewWebhookEvent } from '../repositories/webhook-event.repository';
import type { WebhookSettingsCache } from './settings-cache';
import { retryWhileUnreachable } from '../db/transient';

export interface OutboxWriterOptions {
  bus: EventBus;
  settings: WebhookSettingsCache;
  logger: Logger;
  /** Called after an event row is committed: wakes the delivery worker. */
  onWritten(sessionId: string): void;
  /** Most rows per INSERT. */
  maxBatch?: number;
}

interface Pending {
  row: NewWebhookEvent;
  done: (error?: unknown) => void;
}

/**
 * The outbox writer: for every event of a session that has a webhook URL and subscribes to the
 * event's type, writes a `webhook_events` row before anything is sent. The bus awaits the write,
 * so when `events.publish()` resolves the event is durable. Under load, events that arrive while
 * an INSERT runs are written together by the next one (no waiting when idle). A write the database
 * cannot take now is tried again until it can; a failed write rejects that event's consumer, which
 * the bus logs.
 */
export function startOutboxWriter(options: OutboxWriterOptions): { stop(): Promise<void> } {
  const maxBatch = options.maxBatch ?? 500;
  const inFlight = new Set<Promise<void>>();
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;
  let stopped = false;

  /** One at a time: writes rows in arrival order, so per-session `seq` order is publish order. */
  function flush(): void {
    if (flushing || queue.length === 0) return;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    flushing = writeBatch(batch).finally(() => {
      flushing = undefined;
      flush();
    });
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      // A database that is restarting holds the batch (and its events' producers) until it is back.
      await retryWhileUnreachable(() => webhookEventRepository.insertMany(batch.map((p) => p.row)), { logger: options.logger, what: 'writing webhook events', stopped: () => stopped });
      for (const p of batch) p.done();
    } catch (error) {
      if (batch.length === 1) return settle(batch[0], error);
      // One bad row (e.g. its session was just deleted) must not fail the others: retry one by one.
      for (const p of batch) {
        try {
          await webhookEventRepository.insert(p.row);
          p.done();
        } catch (single) {
          settle(p, single);
        }
      }
    }
  }

  function settle(p: Pending, error: unknown): void {
    const fields = { sessionId: p.row.sessionId, eventId: p.row.eventId };
    if (isMissingSessionError(error)) {
      options.logger.debug(fields, 'event of a deleted session not queued for its webhook');
      return p.done(null);
    }
    if (isDuplicateEventError(error)) {
      options.logger.debug(fields, 'event already queued for its webhook');
      return p.done(null);
    }
    p.done(error);
  }

  async function write(event: WagoEvent): Promise<void> {
    const target = await retryWhileUnreachable(() => options.settings.get(event.sessionId), { logger: options.logger, what: 'reading webhook settings', stopped: () => stopped });
    if (!target?.url) return;
    if (isEventType(event.type) && !isSubscribed(target.events, event.type)) return;
    const row: NewWebhookEvent = {
      eventId: event.id,
      sessionId: event.sessionId,
      type: event.type,
      payload: event,
    };
    // `null`: settled without a row (nothing to deliver); an error: the write failed.
    const outcome = await new Promise<unknown>((resolve) => {
      queue.push({ row, done: (error?: unknown) => resolve(error === undefined ? 'written' : error) });
      flush();
    });
    if (outcome === 'written') options.onWritten(event.sessionId);
    else if (outcome !== null) throw outcome;
  }

  const unsubscribe = options.bus.subscribe((event) => {
    const job = write(event);
    inFlight.add(job);
    return job.finally(() => inFlight.delete(job));
  });

  return {
    async stop() {
      unsubscribe();
      stopped = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}
