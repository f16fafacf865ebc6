import type { Logger } from '../logger';
import { webhookEventRepository, type ClaimedEvent } from '../repositories/webhook-event.repository';
import { deliverEvent, type DeliveryOutcome } from './deliver';
import type { WebhookSettingsCache } from './settings-cache';
import { metrics } from '../metrics';

export interface DeliveryWorkerOptions {
  /** Sessions delivered in parallel (WAGO_WEBHOOK_CONCURRENCY). */
  concurrency: number;
  /** One request's time limit (WAGO_WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Age after which an undelivered event goes dead (WAGO_WEBHOOK_MAX_AGE_SECONDS). */
  maxAgeSeconds: number;
  userAgent: string;
  settings: WebhookSettingsCache;
  logger: Logger;
  /** Fallback scan for rows written by other processes and due retries. */
  pollMs?: number;
  /** How long stop() lets in-flight requests finish before aborting them. */
  stopGraceMs?: number;
  /** Told after each attempt's outcome is recorded (the dashboard shows deliveries live). */
  onRecorded?: (outcome: RecordedAttempt) => void;
}

/** What an attempt ended as, once written to the outbox. */
export interface RecordedAttempt {
  sessionId: string;
  eventId: string;
  status: 'delivered' | 'pending' | 'dead';
  statusCode: number | null;
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;
/** Events a session delivers in a row before it gives its slot to a waiting session. */
const FAIR_SHARE = 100;

/** Delay before retry number `attempt` + 1: 1 s, 2 s, 4 s … capped at 5 min, ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Delivers the outbox, one session at a time per queue and up to `concurrency` sessions at once.
 * A session's loop claims its queue head (a lease in the database, see the repository), POSTs it,
 * writes the result and moves to the next due head; it ends when the head is not due (a retry
 * later) or the queue is empty. Wake-ups come from this process's outbox writer, from retry timers,
 * and from a polling scan that also finds other processes' rows.
 */
export class DeliveryWorker {
  private readonly active = new Map<string, Promise<void>>();
  /** Sessions woken while their loop was running: the loop looks once more before ending. */
  private readonly again = new Set<string>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly log: Logger;
  private readonly leaseMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  /** A session could not start for want of a slot: scan again when one frees. */
  private starved = false;
  private stopping = false;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.log = options.logger;
    this.leaseMs = options.timeoutMs + 10_000;
  }

  start(): void {
    this.pollTimer = setInterval(() => this.kick(), this.options.pollMs ?? 1_000);
    this.pollTimer.unref();
    this.kick();
  }

  /** Sessions being delivered by this process right now. */
  get activeSessions(): number {
    return this.active.size;
  }

  /** New work for a session (an event was written, a retry is due, an event was re-queued). */
  wake(sessionId: string): void {
    if (this.stopping) return;
    if (this.active.has(sessionId)) {
      this.again.add(sessionId);
    } else if (this.active.size < this.options.concurrency) {
      this.run(sessionId);
    } else {
      this.starved = true;
    }
  }

  /** Scans the database for sessions with due events (coalesced: one scan at a time). */
  kick(): void {
    if (this.stopping) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan()
      .catch((error: unknown) => this.log.error({ err: error }, 'webhook scan failed'))
      .finally(() => {
        this.scanning = undefined;
        if (this.rescan) {
          this.rescan = false;
          this.kick();
        }
      });
  }

  private async scan(): Promise<void> {
    const free = this.options.concurrency - this.active.size;
    if (free <= 0) {
      this.starved = true;
      return;
    }
    const due = await webhookEventRepository.findDueSessions(free, [...this.active.keys()]);
    if (due.length === free) this.starved = true;
    for (const sessionId of due) this.wake(sessionId);
  }

  private run(sessionId: string): void {
    const timer = this.retryTimers.get(sessionId);
    if (timer) {
      clearTimeout(timer);
      this.retryTimers.delete(sessionId);
    }
    const loop = this.drain(sessionId)
      .catch((error: unknown) => this.log.error({ err: error, sessionId }, 'webhook delivery loop failed'))
      .finally(() => {
        this.active.delete(sessionId);
        if (this.stopping) return;
        if (this.again.delete(sessionId)) this.wake(sessionId);
        if (this.starved) {
          this.starved = false;
          this.kick();
        }
      });
    this.active.set(sessionId, loop);
  }

  private async drain(sessionId: string): Promise<void> {
    const { maxAgeSeconds } = this.options;
    while (!this.stopping) {
      this.again.delete(sessionId);
      let claimed = await webhookEventRepository.claimHead(sessionId, this.leaseMs, maxAgeSeconds);
      if (!claimed) {
        if (this.again.has(sessionId)) continue;
        return;
      }
      // Deliver the head, then the next one, while they are due. A long queue yields its slot
      // after a while when other sessions are waiting for one.
      let delivered = 0;
      while (claimed) {
        const event: ClaimedEvent = claimed;
        claimed = null;
        const outcome = await this.attempt(event);
        const yieldSlot = this.stopping || (++delivered >= FAIR_SHARE && this.starved);
        if (outcome.kind === 'delivered' && !yieldSlot) {
          const result = await webhookEventRepository.markDeliveredAndClaimNext(
            { seq: event.seq, attempts: event.attempts, statusCode: outcome.statusCode },
            sessionId,
            this.leaseMs,
            maxAgeSeconds,
          );
          if (!result.marked) this.lostLease(event);
          this.recorded(event, 'delivered', outcome.statusCode);
          claimed = result.next;
        } else if (outcome.kind === 'delivered') {
          if (!(await webhookEventRepository.markDelivered(event.seq, event.attempts, outcome.statusCode))) this.lostLease(event);
          this.recorded(event, 'delivered', outcome.statusCode);
          // Yield: the scan that follows (a session was starved) finds this queue again, oldest heads first.
          this.again.delete(sessionId);
          return;
        } else if (!(await this.recordFailure(event, outcome))) {
          return; // the head waits for a retry (or for the next start)
        }
      }
    }
  }

  private recorded(event: ClaimedEvent, status: RecordedAttempt['status'], statusCode: number | null): void {
    try {
      this.options.onRecorded?.({ sessionId: event.sessionId, eventId: event.eventId, status, statusCode });
    } catch (error) {
      this.log.error({ err: error, sessionId: event.sessionId }, 'delivery listener failed');
    }
  }

  private lostLease(event: ClaimedEvent): void {
    this.log.warn({ sessionId: event.sessionId, eventId: event.eventId }, 'webhook delivered but its lease had been lost; it may be delivered twice');
  }

  /** One attempt at the claimed head: its outcome, or `expired` when it is past the maximum age. */
  private async attempt(event: ClaimedEvent): Promise<DeliveryOutcome | { kind: 'expired' }> {
    if (event.expired) return { kind: 'expired' };
    const target = await this.options.settings.get(event.sessionId);
    if (!target?.url) {
      // A deleted session's rows went with it; a session without a URL keeps its events until it has one again or they expire.
      return { kind: 'failed', statusCode: null, error: 'no webhook URL is set for this session' };
    }
    const started = performance.now();
    const outcome = await deliverEvent(
      { eventId: event.eventId, sessionId: event.sessionId, type: event.type, payload: event.payload, attempt: event.attempts },
      { url: target.url, format: target.format, secret: target.secret, userAgent: this.options.userAgent, timeoutMs: this.options.timeoutMs, signal: this.abort.signal },
    );
    const counters = metrics();
    if (counters && outcome.kind !== 'aborted') {
      counters.webhookDeliverySeconds.observe((performance.now() - started) / 1000);
      (outcome.kind === 'delivered' ? counters.webhookDelivered : counters.webhookFailures).inc();
    }
    return outcome;
  }

  /** Writes a failed, expired or aborted attempt; true when the event left the queue (dead) so the next one may go. */
  private async recordFailure(event: ClaimedEvent, outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }> | { kind: 'expired' }): Promise<boolean> {
    const { seq, attempts, sessionId } = event;
    const { maxAgeSeconds } = this.options;
    const logFields = { sessionId, eventId: event.eventId, type: event.type, attempt: attempts };
    if (outcome.kind === 'expired') {
      const error = `expired: not delivered within ${maxAgeSeconds} s`;
      await webhookEventRepository.markDead(seq, attempts, { statusCode: null, error }, false);
      this.recorded(event, 'dead', null);
      this.log.warn(logFields, 'webhook event expired before delivery: dead-lettered');
      return true;
    }
    if (outcome.kind === 'aborted') {
      await webhookEventRepository.release(seq, attempts, 'interrupted by shutdown');
      return false;
    }
    const result = { statusCode: outcome.statusCode, error: outcome.error };
    if (Date.now() >= event.createdAt.getTime() + maxAgeSeconds * 1000) {
      await webhookEventRepository.markDead(seq, attempts, result, true);
      this.recorded(event, 'dead', outcome.statusCode);
      this.log.warn({ ...logFields, statusCode: outcome.statusCode, err: outcome.error }, 'webhook delivery failed past the maximum age: dead-lettered');
      return true;
    }
    const delay = backoffDelay(attempts);
    await webhookEventRepository.markRetry(seq, attempts, result, delay);
    this.recorded(event, 'pending', outcome.statusCode);
    this.log.info({ ...logFields, statusCode: outcome.statusCode, err: outcome.error, retryInMs: delay }, 'webhook delivery failed; will retry');
    this.scheduleRetry(sessionId, delay);
    return false;
  }

  private scheduleRetry(sessionId: string, delayMs: number): void {
    const previous = this.retryTimers.get(sessionId);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.retryTimers.delete(sessionId);
      this.wake(sessionId);
    }, delayMs + 25);
    timer.unref();
    this.retryTimers.set(sessionId, timer);
  }

  /** Stops taking work; lets in-flight requests finish for a grace period, then aborts them (their rows stay pending). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    const grace = setTimeout(() => this.abort.abort(), this.options.stopGraceMs ?? 3_000);
    await this.scanning;
    await Promise.allSettled([...this.active.values()]);
    clearTimeout(grace);
  }
}
