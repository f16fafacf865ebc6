import { getRuntime } from '../runtime/registry';
import { Prisma } from '../generated/prisma/client';
import type { WebhookEvent } from '../generated/prisma/client';

export type WebhookEventRow = WebhookEvent;
export type WebhookEventStatus = 'pending' | 'delivered' | 'dead';

export interface NewWebhookEvent {
  eventId: string;
  sessionId: string;
  type: string;
  /** The WagoEvent: a JSON-serialisable object. */
  payload: object;
}

const toData = (event: NewWebhookEvent) => ({ ...event, payload: JSON.parse(JSON.stringify(event.payload)) as Prisma.InputJsonValue });

/** The head event of a session's queue, claimed for one delivery attempt. */
export interface ClaimedEvent {
  seq: bigint;
  eventId: string;
  sessionId: string;
  type: string;
  payload: unknown;
  /** The attempt number this claim is (1 for the first); also the fencing value for the result. */
  attempts: number;
  createdAt: Date;
  /** The event is older than the maximum age: it must go dead instead of being sent. */
  expired: boolean;
}

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

const db = () => getRuntime().prisma;

/**
 * The webhook outbox (`webhook_events`). Every read of stored events takes the session id, so one
 * session can never see another's rows. A claimed row is "leased": it stays `pending` with
 * `next_attempt_at` in the future while its delivery runs, which keeps every process (this one
 * included) off the session's queue until the result is written or the lease runs out.
 */
export const webhookEventRepository = {
  async insert(event: NewWebhookEvent): Promise<void> {
    await db().webhookEvent.create({ data: toData(event) });
  },

  /** Inserts several events in one statement, in array order (their `seq` follows it); duplicates of stored ids are skipped. */
  async insertMany(events: NewWebhookEvent[]): Promise<void> {
    if (events.length === 0) return;
    await db().webhookEvent.createMany({ data: events.map(toData), skipDuplicates: true });
  },

  /**
   * Sessions whose queue head is due, soonest first, skipping `exclude` (those this process is
   * already delivering). One index probe per session, however long the queues are.
   */
  async findDueSessions(limit: number, exclude: string[]): Promise<string[]> {
    const rows = await db().$queryRaw<Array<{ id: string }>>`
      SELECT s.id::text AS id
      FROM sessions s
      CROSS JOIN LATERAL (
        SELECT w.next_attempt_at FROM webhook_events w
        WHERE w.session_id = s.id AND w.status = 'pending'
        ORDER BY w.seq LIMIT 1
      ) h
      WHERE h.next_attempt_at <= now() AND NOT (s.id::text = ANY(${exclude}::text[]))
      ORDER BY h.next_attempt_at
      LIMIT ${limit}`;
    return rows.map((r) => r.id);
  },

  /**
   * Claims the head of a session's queue if it is due: one atomic statement that leases the row
   * for `leaseMs` and counts the attempt. Two processes racing for the same head both target the
   * same row; the row lock makes the second re-check `next_attempt_at` and claim nothing.
   */
  async claimHead(sessionId: string, leaseMs: number, maxAgeSeconds: number): Promise<ClaimedEvent | null> {
    const rows = await db().$queryRaw<Array<Omit<ClaimedEvent, 'payload'> & { payload: unknown }>>`
      UPDATE webhook_events w
      SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', attempts = w.attempts + 1
      WHERE w.seq = (
          SELECT seq FROM webhook_events
          WHERE session_id = ${sessionId}::uuid AND status = 'pending'
          ORDER BY seq LIMIT 1)
        AND w.status = 'pending' AND w.next_attempt_at <= now()
      RETURNING w.seq, w.event_id::text AS "eventId", w.session_id::text AS "sessionId", w.type, w.payload,
        w.attempts, w.created_at AS "createdAt",
        (w.created_at < now() - ${maxAgeSeconds}::int * interval '1 second') AS expired`;
    return rows[0] ?? null;
  },

  /** Records a 2xx answer. `attempts` fences: a row re-claimed elsewhere after a lost lease is left alone. */
  async markDelivered(seq: bigint, attempts: number, statusCode: number): Promise<boolean> {
    const result = await db().webhookEvent.updateMany({
      where: { seq, attempts, status: 'pending' },
      data: { status: 'delivered', deliveredAt: new Date(), lastStatusCode: statusCode, lastError: null },
    });
    return result.count === 1;
  },

  /**
   * Records a 2xx answer for `done` and, in the same statement, claims the session's next head (the
   * oldest pending event other than `done`) if it is due: one round trip per delivered event in a
   * busy queue. Nothing is claimed when `done`'s lease was lost (`marked` false).
   */
  async markDeliveredAndClaimNext(
    done: { seq: bigint; attempts: number; statusCode: number },
    sessionId: string,
    leaseMs: number,
    maxAgeSeconds: number,
  ): Promise<{ marked: boolean; next: ClaimedEvent | null }> {
    const rows = await db().$queryRaw<Array<{ marked: boolean } & { [K in keyof ClaimedEvent]: ClaimedEvent[K] | null }>>`
      WITH done AS (
        UPDATE webhook_events
        SET status = 'delivered', delivered_at = now(), last_status_code = ${done.statusCode}::int, last_error = NULL
        WHERE seq = ${done.seq} AND attempts = ${done.attempts} AND status = 'pending'
        RETURNING seq),
      head AS (
        SELECT seq FROM webhook_events
        WHERE session_id = ${sessionId}::uuid AND status = 'pending' AND seq <> ${done.seq}
        ORDER BY seq LIMIT 1),
      claimed AS (
        UPDATE webhook_events w
        SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', attempts = w.attempts + 1
        FROM head
        WHERE w.seq = head.seq AND w.status = 'pending' AND w.next_attempt_at <= now() AND EXISTS (SELECT 1 FROM done)
        RETURNING w.seq, w.event_id::text AS "eventId", w.session_id::text AS "sessionId", w.type, w.payload,
          w.attempts, w.created_at AS "createdAt",
          (w.created_at < now() - ${maxAgeSeconds}::int * interval '1 second') AS expired)
      SELECT EXISTS (SELECT 1 FROM done) AS marked, claimed.* FROM (SELECT 1) AS one LEFT JOIN claimed ON true`;
    const row = rows[0];
    const next = row && row.seq !== null ? (row as unknown as ClaimedEvent) : null;
    return { marked: row?.marked ?? false, next };
  },

  /** Records a failed attempt and schedules the next one `delayMs` from now (database clock). */
  async markRetry(seq: bigint, attempts: number, result: AttemptResult, delayMs: number): Promise<boolean> {
    const count = await db().$executeRaw`
      UPDATE webhook_events
      SET next_attempt_at = now() + ${Math.round(delayMs)}::int * interval '1 millisecond',
          last_status_code = ${result.statusCode}::int, last_error = ${result.error}
      WHERE seq = ${seq} AND attempts = ${attempts} AND status = 'pending'`;
    return count === 1;
  },

  /** Gives up on an event (dead letter); `attempted` false when it expired before this attempt was made. */
  async markDead(seq: bigint, attempts: number, result: AttemptResult, attempted: boolean): Promise<boolean> {
    const count = await db().$executeRaw`
      UPDATE webhook_events
      SET status = 'dead', attempts = attempts - ${attempted ? 0 : 1}::int,
          last_status_code = COALESCE(${result.statusCode}::int, last_status_code), last_error = ${result.error}
      WHERE seq = ${seq} AND attempts = ${attempts} AND status = 'pending'`;
    return count === 1;
  },

  /** Ends a lease early without a result (shutdown): the event is due again at once. */
  async release(seq: bigint, attempts: number, reason: string): Promise<void> {
    await db().$executeRaw`
      UPDATE webhook_events SET next_attempt_at = now(), last_error = ${reason}
      WHERE seq = ${seq} AND attempts = ${attempts} AND status = 'pending'`;
  },

  listForSession(sessionId: string, filter: { status?: WebhookEventStatus; limit: number }): Promise<WebhookEventRow[]> {
    return db().webhookEvent.findMany({
      where: { sessionId, ...(filter.status ? { status: filter.status } : {}) },
      orderBy: { seq: 'desc' },
      take: filter.limit,
    });
  },

  findForSession(sessionId: string, eventId: string): Promise<WebhookEventRow | null> {
    return db().webhookEvent.findFirst({ where: { sessionId, eventId } });
  },

  /**
   * Puts a finished (delivered or dead) event of the session back in its queue, at the end (a new
   * `seq`), due now, with its event id kept. Returns the row's status before, or null if the
   * session has no such event. A pending event is left as it is.
   */
  async requeue(sessionId: string, eventId: string): Promise<WebhookEventStatus | null> {
    const rows = await db().$queryRaw<Array<{ status: WebhookEventStatus }>>`
      WITH target AS (
        SELECT seq, status FROM webhook_events
        WHERE session_id = ${sessionId}::uuid AND event_id = ${eventId}::uuid
        FOR UPDATE),
      moved AS (
        UPDATE webhook_events w
        SET seq = nextval(pg_get_serial_sequence('webhook_events', 'seq')), status = 'pending', attempts = 0,
            next_attempt_at = now(), created_at = now(), delivered_at = NULL, last_error = NULL, last_status_code = NULL
        FROM target WHERE w.seq = target.seq AND target.status <> 'pending'
        RETURNING w.seq)
      SELECT target.status FROM target`;
    return rows[0]?.status ?? null;
  },

  /** Deletes up to `batch` delivered or dead rows finished before `cutoff`; returns how many. */
  async deleteFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    return db().$executeRaw`
      DELETE FROM webhook_events WHERE seq IN (
        SELECT seq FROM webhook_events
        WHERE status IN ('delivered', 'dead') AND COALESCE(delivered_at, created_at) < ${cutoff}
        LIMIT ${batch})`;
  },

  /** Events of every session still waiting for delivery (GET /metrics). */
  async countPending(): Promise<number> {
    return db().webhookEvent.count({ where: { status: 'pending' } });
  },

  /** Counts of a session's rows by status (dashboard, tests). */
  async countByStatus(sessionId: string): Promise<Record<WebhookEventStatus, number>> {
    const groups = await db().webhookEvent.groupBy({ by: ['status'], where: { sessionId }, _count: { _all: true } });
    const counts: Record<WebhookEventStatus, number> = { pending: 0, delivered: 0, dead: 0 };
    for (const g of groups) counts[g.status as WebhookEventStatus] = g._count._all;
    return counts;
  },
};

/** Whether an error is a foreign-key violation (the session was deleted meanwhile). */
export function isMissingSessionError(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';
}

/** Whether an error is a unique violation (the event id is already stored). */
export function isDuplicateEventError(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
