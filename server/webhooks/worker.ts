import type { Logger } from '../logger';
import { webhookEventRepository, type ClaimedEvent, type DeliveredMark, type SettleThen } from '../repositories/webhook-event.repository';
import type { NewWebhookAttempt } from '../repositories/webhook-attempt.repository';
import { deliverEvent, type AttemptRecord, type DeliveryOutcome } from './deliver';
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
/** Events claimed (leased) together; their results are written together, with the next claim. */
const BATCH = 50;
/** A batch's lease is renewed before an attempt once this much time went since it was taken. */
const RENEW_AFTER_MS = 5_000;

/** A claimed batch and its results not yet written. */
class BatchRun {
  attempts: NewWebhookAttempt[] = [];
  delivered: DeliveredMark[] = [];
  recorded: Array<{ event: ClaimedEvent; statusCode: number }> = [];
  /** Events of this batch delivered (written or not). */
  sent = 0;
  constructor(
    readonly sessionId: string,
    readonly batch: ClaimedEvent[],
  ) {}

  /** The results so far, handed over to be written (the run starts afresh). */
  take(): { attempts: NewWebhookAttempt[]; delivered: DeliveredMark[]; recorded: BatchRun['recorded'] } {
    const taken = { attempts: this.attempts, delivered: this.delivered, recorded: this.recorded };
    this.attempts = [];
    this.delivered = [];
    this.recorded = [];
    return taken;
  }
}

/** Delay before retry number `attempt` + 1: 1 s, 2 s, 4 s … capped at 5 min, ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Delivers the outbox, one session at a time per queue and up to `concurrency` sessions at once.
 * A session's loop claims its queue head and the events behind it (a lease in the database, see
 * the repository), POSTs them one after the other, writes their results and attempts in one
 * statement that also claims the next batch; it ends when the head is not due (a retry later) or
 * the queue is empty. A crash between a delivery and the write of its result means that event
 * (and the rest of its batch) is sent again: at least once, under the same event id, and with a
 * higher attempt number (the claim counts every leased event's attempt). Wake-ups come from this
 * process's outbox writer, from retry timers, and from a polling scan that also finds other processes' rows.
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
      let batch = await webhookEventRepository.claimBatch(sessionId, BATCH, this.leaseMs, maxAgeSeconds);
      if (batch.length === 0) {
        if (this.again.has(sessionId)) continue;
        return;
      }
      // Deliver the batch one event after the other, then record it and claim the next batch in one
      // statement, while events are due. A long queue yields its slot after a while when other
      // sessions are waiting for one.
      let sent = 0;
      while (batch.length > 0) {
        const run = new BatchRun(sessionId, batch);
        const verdict = await this.deliverBatch(run);
        if (verdict === 'wait') return; // the head waits for a retry (or for the next start)
        sent += run.sent;
        if (this.stopping || (sent >= FAIR_SHARE && this.starved)) {
          await this.flush(run, { kind: 'none' });
          // Yield: the scan that follows (a session was starved) finds this queue again, oldest heads first.
          this.again.delete(sessionId);
          return;
        }
        batch = await this.flush(run, { kind: 'claim', limit: BATCH, leaseMs: this.leaseMs, maxAgeSeconds });
      }
      if (!this.again.has(sessionId)) return;
    }
  }

  /**
   * Sends a claimed batch in order. `done`: every event was delivered or dead-lettered (the
   * results not yet written are in `run`); `wait`: an event failed and waits for a retry, or the
   * worker is stopping: what was done is written and the rest of the batch released.
   */
  private async deliverBatch(run: BatchRun): Promise<'done' | 'wait'> {
    let leasedAt = Date.now();
    for (let i = 0; i < run.batch.length; i++) {
      const event = run.batch[i];
      const rest = () => run.batch.slice(i + 1);
      if (this.stopping) {
        await this.flush(run, { kind: 'release', rows: run.batch.slice(i) });
        return 'wait';
      }
      if (Date.now() - leasedAt > RENEW_AFTER_MS) {
        // A slow receiver: keep the batch's lease ahead of the next attempt's time limit.
        await this.flush(run, { kind: 'renew', rows: run.batch.slice(i), leaseMs: this.leaseMs });
        leasedAt = Date.now();
      }
      const { outcome, record } = await this.attempt(event);
      if (record) run.attempts.push({ sessionId: event.sessionId, eventId: event.eventId, attempt: event.attempts, ...record });
      if (outcome.kind === 'delivered') {
        run.delivered.push({ seq: event.seq, fence: event.fence, statusCode: outcome.statusCode, at: Date.now() });
        run.recorded.push({ event, statusCode: outcome.statusCode });
        run.sent++;
        continue;
      }
      await this.flush(run, { kind: 'none' });
      if (!(await this.recordFailure(event, outcome))) {
        const left = rest();
        if (left.length > 0) await webhookEventRepository.settle(run.sessionId, [], [], { kind: 'release', rows: left });
        return 'wait';
      }
    }
    return 'done';
  }

  /** Writes a batch's results so far (attempts, delivered marks) and does `then`; returns the next batch when claiming. */
  private async flush(run: BatchRun, then: SettleThen): Promise<ClaimedEvent[]> {
    const { attempts, delivered, recorded } = run.take();
    if (attempts.length === 0 && delivered.length === 0 && then.kind === 'none') return [];
    const result = await webhookEventRepository.settle(run.sessionId, attempts, delivered, then);
    if (result.marked < delivered.length) {
      this.log.warn({ sessionId: run.sessionId, delivered: delivered.length, marked: result.marked }, 'webhook events delivered but their lease had been lost; they may be delivered twice');
    }
    for (const r of recorded) this.recorded(r.event, 'delivered', r.statusCode);
    return result.next;
  }

  private recorded(event: ClaimedEvent, status: RecordedAttempt['status'], statusCode: number | null): void {
    try {
      this.options.onRecorded?.({ sessionId: event.sessionId, eventId: event.eventId, status, statusCode });
    } catch (error) {
      this.log.error({ err: error, sessionId: event.sessionId }, 'delivery listener failed');
    }
  }

  /** One attempt at a claimed event: its outcome (`expired` when it is past the maximum age) and what to record of it. */
  private async attempt(event: ClaimedEvent): Promise<{ outcome: DeliveryOutcome | { kind: 'expired' }; record: AttemptRecord | null }> {
    if (event.expired) return { outcome: { kind: 'expired' }, record: null };
    const target = await this.options.settings.get(event.sessionId);
    if (!target?.url) {
      // A deleted session's rows went with it; a session without a URL keeps its events until it has one again or they expire.
      const error = 'no webhook URL is set for this session';
      return {
        outcome: { kind: 'failed', statusCode: null, error },
        record: { startedAt: Date.now(), durationMs: 0, statusCode: null, error, responseBody: null, signature: null, format: target?.format ?? 'json' },
      };
    }
    const started = performance.now();
    const result = await deliverEvent(
      { eventId: event.eventId, sessionId: event.sessionId, type: event.type, payload: event.payload, attempt: event.attempts },
      { url: target.url, format: target.format, secret: target.secret, userAgent: this.options.userAgent, timeoutMs: this.options.timeoutMs, signal: this.abort.signal },
    );
    const counters = metrics();
    if (counters && result.outcome.kind !== 'aborted') {
      counters.webhookDeliverySeconds.observe((performance.now() - started) / 1000);
      (result.outcome.kind === 'delivered' ? counters.webhookDelivered : counters.webhookFailures).inc();
    }
    return result;
  }

  /** Writes a failed, expired or aborted attempt; true when the event left the queue (dead) so the next one may go. */
  private async recordFailure(event: ClaimedEvent, outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }> | { kind: 'expired' }): Promise<boolean> {
    const { sessionId, attempts } = event;
    const { maxAgeSeconds } = this.options;
    const logFields = { sessionId, eventId: event.eventId, type: event.type, attempt: attempts };
    if (outcome.kind === 'expired') {
      const error = `expired: not delivered within ${maxAgeSeconds} s`;
      await webhookEventRepository.markDead(event, { statusCode: null, error }, false);
      this.recorded(event, 'dead', null);
      this.log.warn(logFields, 'webhook event expired before delivery: dead-lettered');
      return true;
    }
    if (outcome.kind === 'aborted') {
      await webhookEventRepository.release(event, 'interrupted by shutdown');
      return false;
    }
    const result = { statusCode: outcome.statusCode, error: outcome.error };
    if (Date.now() >= event.createdAt.getTime() + maxAgeSeconds * 1000) {
      await webhookEventRepository.markDead(event, result, true);
      this.recorded(event, 'dead', outcome.statusCode);
      this.log.warn({ ...logFields, statusCode: outcome.statusCode, err: outcome.error }, 'webhook delivery failed past the maximum age: dead-lettered');
      return true;
    }
    const delay = backoffDelay(attempts);
    await webhookEventRepository.markRetry(event, result, delay);
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
