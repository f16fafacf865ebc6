import { getRuntime } from '../runtime/registry';
import { Prisma } from '../generated/prisma/client';
import type { WebhookEvent } from '../generated/prisma/client';
import type { NewWebhookAttempt } from './webhook-attempt.repository';

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
  /** The attempt number this delivery is (1 for the first), counted in the row by the claim. */
  attempts: number;
  /** The `attempts` value the row holds now (the claim's count): the fencing value for the result. */
  fence: number;
  createdAt: Date;
  /** The event is older than the maximum age: it must go dead instead of being sent. */
  expired: boolean;
}

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

const db = () => getRuntime().prisma;

/** A claimed row's identity for writing its result. */
export type Fenced = Pick<ClaimedEvent, 'seq' | 'attempts' | 'fence'>;

/** A claimed row's lease: what renewing or releasing it needs. */
export type Leased = Pick<ClaimedEvent, 'seq' | 'fence'>;

/** An event delivered, to be marked so. */
export interface DeliveredMark {
  seq: bigint;
  fence: number;
  statusCode: number;
  /** When the receiver answered (ms since the epoch). */
  at: number;
}

/** What `settle` does after recording the results. */
export type SettleThen =
  | { kind: 'claim'; limit: number; leaseMs: number; maxAgeSeconds: number }
  | { kind: 'renew'; rows: Leased[]; leaseMs: number }
  | { kind: 'release'; rows: Leased[] }
  | { kind: 'none' };

type ClaimedRow = Omit<ClaimedEvent, 'fence'>;

/**
 * Every claimed row's attempt is counted in the row by the claim (a repeat after a crash says it is
 * a further attempt); a row released unattempted gets the count back (see `settle`).
 */
function toClaimed(row: ClaimedRow): ClaimedEvent {
  return { ...row, fence: row.attempts };
}

const CLAIMED_COLUMNS = (maxAgeSeconds: number) => Prisma.sql`w.seq, w.event_id::text AS "eventId", w.session_id::text AS "sessionId", w.type, w.payload,
  w.attempts, w.created_at AS "createdAt", (w.created_at < now() - ${maxAgeSeconds}::int * interval '1 second') AS expired`;

/**
 * CTEs `claimed_head` and `claimed_rest`: the session's due head (not one of `exclude`), claimed if
 * `condition` holds, and up to `limit - 1` rows behind it, leased with it; each row's attempt is counted.
 */
function claimCtes(sessionId: string, limit: number, leaseMs: number, maxAgeSeconds: number, condition: Prisma.Sql, exclude: string[]): Prisma.Sql {
  return Prisma.sql`
    head AS (
      SELECT seq FROM webhook_events
      WHERE session_id = ${sessionId}::uuid AND status = 'pending' AND seq <> ALL(${exclude}::bigint[])
      ORDER BY seq LIMIT 1),
    claimed_head AS (
      UPDATE webhook_events w
      SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', attempts = w.attempts + 1
      FROM head
      WHERE w.seq = head.seq AND w.status = 'pending' AND w.next_attempt_at <= now() AND ${condition}
      RETURNING ${CLAIMED_COLUMNS(maxAgeSeconds)}),
    rest AS (
      SELECT seq FROM webhook_events
      WHERE session_id = ${sessionId}::uuid AND status = 'pending' AND seq > (SELECT seq FROM claimed_head)
      ORDER BY seq LIMIT ${Math.max(0, limit - 1)}::int),
    claimed_rest AS (
      UPDATE webhook_events w
      SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', attempts = w.attempts + 1
      FROM rest
      WHERE w.seq = rest.seq AND w.status = 'pending'
      RETURNING ${CLAIMED_COLUMNS(maxAgeSeconds)})`;
}

/** An INSERT of attempt rows (a no-op statement for none); rows of a session deleted meanwhile are skipped. */
function insertAttempts(attempts: NewWebhookAttempt[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO webhook_attempts (session_id, event_id, attempt, started_at, duration_ms, status_code, error, response_body, signature, format)
    SELECT t.session_id, t.event_id, t.attempt, to_timestamp(t.started / 1000.0), t.duration, t.code, t.error, t.body, t.signature, t.format
    FROM unnest(${attempts.map((a) => a.sessionId)}::uuid[], ${attempts.map((a) => a.eventId)}::uuid[], ${attempts.map((a) => a.attempt)}::int[],
                ${attempts.map((a) => a.startedAt)}::float8[], ${attempts.map((a) => a.durationMs)}::int[], ${attempts.map((a) => a.statusCode)}::int[],
                ${attempts.map((a) => a.error)}::text[], ${attempts.map((a) => a.responseBody)}::text[], ${attempts.map((a) => a.signature)}::text[],
                ${attempts.map((a) => a.format)}::text[])
      WITH ORDINALITY AS t(session_id, event_id, attempt, started, duration, code, error, body, signature, format, n)
    WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id)
    ORDER BY t.n
    RETURNING 1`;
}

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
   * Claims the head of a session's queue if it is due, and with it the `limit - 1` events behind it:
   * one atomic statement that leases them all for `leaseMs` and counts the attempt of each, so an
   * event sent again after a crash carries an attempt number above the one before. Two processes racing for the same head both target the same
   * row; its lock makes the second re-check `next_attempt_at` and claim nothing. While the head is
   * leased nobody else claims this queue, so the leases of the rows behind it only matter after a
   * crash (they run out with the head's).
   */
  async claimBatch(sessionId: string, limit: number, leaseMs: number, maxAgeSeconds: number): Promise<ClaimedEvent[]> {
    const rows = await db().$queryRaw<ClaimedRow[]>`
      WITH ${claimCtes(sessionId, limit, leaseMs, maxAgeSeconds, Prisma.sql`TRUE`, [])}
      SELECT * FROM claimed_head UNION ALL SELECT * FROM claimed_rest ORDER BY seq`;
    return rows.map(toClaimed);
  },

  /**
   * Records a batch of a session's results in one statement: the attempts made, the events
   * delivered (each fenced by the attempts value its row holds, so a row re-claimed elsewhere after
   * a lost lease is left alone), then `then`: claim the next batch (only when every delivered mark
   * held), renew the lease of the rows still to send, or release them (due at once) and give back
   * the attempt their claim counted, as they were not attempted. Renewals and releases are fenced
   * the same way as the delivered marks.
   */
  async settle(
    sessionId: string,
    attempts: NewWebhookAttempt[],
    delivered: DeliveredMark[],
    then: SettleThen,
  ): Promise<{ marked: number; next: ClaimedEvent[] }> {
    const seqs = delivered.map((d) => d.seq.toString());
    const allMarked = Prisma.sql`(SELECT count(*) FROM done) = ${delivered.length}`;
    const follow =
      then.kind === 'claim'
        ? Prisma.sql`, ${claimCtes(sessionId, then.limit, then.leaseMs, then.maxAgeSeconds, allMarked, seqs)}
            SELECT (SELECT count(*)::int FROM done) AS marked, n.* FROM (SELECT 1) AS one
            LEFT JOIN (SELECT * FROM claimed_head UNION ALL SELECT * FROM claimed_rest) n ON true ORDER BY n.seq`
        : then.kind === 'renew' || then.kind === 'release'
          ? Prisma.sql`, kept AS (
              UPDATE webhook_events w
              SET ${then.kind === 'renew' ? Prisma.sql`next_attempt_at = now() + ${then.leaseMs}::int * interval '1 millisecond'` : Prisma.sql`next_attempt_at = now(), attempts = w.attempts - 1`}
              FROM unnest(${then.rows.map((r) => r.seq.toString())}::bigint[], ${then.rows.map((r) => r.fence)}::int[]) AS t(seq, fence)
              WHERE w.seq = t.seq AND w.attempts = t.fence AND w.status = 'pending'
              RETURNING w.seq)
            SELECT (SELECT count(*)::int FROM done) AS marked, (SELECT count(*) FROM kept) AS kept`
          : Prisma.sql` SELECT (SELECT count(*)::int FROM done) AS marked`;
    const rows = await db().$queryRaw<Array<{ marked: number } & Partial<ClaimedRow>>>`
      WITH logged AS (${insertAttempts(attempts)}),
      done AS (
        UPDATE webhook_events w
        SET status = 'delivered', delivered_at = to_timestamp(t.at / 1000.0), last_status_code = t.code, last_error = NULL
        FROM unnest(${seqs}::bigint[], ${delivered.map((d) => d.fence)}::int[],
                    ${delivered.map((d) => d.statusCode)}::int[], ${delivered.map((d) => d.at)}::float8[]) AS t(seq, fence, code, at)
        WHERE w.seq = t.seq AND w.attempts = t.fence AND w.status = 'pending'
        RETURNING w.seq)${follow}`;
    const marked = rows[0]?.marked ?? 0;
    const next = then.kind === 'claim' ? rows.filter((r): r is ClaimedRow & { marked: number } => r.seq !== null && r.seq !== undefined).map(toClaimed) : [];
    return { marked, next };
  },

  /** Records a failed attempt and schedules the next one `delayMs` from now (database clock). */
  async markRetry(event: Fenced, result: AttemptResult, delayMs: number): Promise<boolean> {
    const count = await db().$executeRaw`
      UPDATE webhook_events
      SET next_attempt_at = now() + ${Math.round(delayMs)}::int * interval '1 millisecond',
          last_status_code = ${result.statusCode}::int, last_error = ${result.error}
      WHERE seq = ${event.seq} AND attempts = ${event.fence}::int AND status = 'pending'`;
    return count === 1;
  },

  /** Gives up on an event (dead letter); `attempted` false when it expired before this attempt was made. */
  async markDead(event: Fenced, result: AttemptResult, attempted: boolean): Promise<boolean> {
    const count = await db().$executeRaw`
      UPDATE webhook_events
      SET status = 'dead', attempts = ${attempted ? event.attempts : event.attempts - 1}::int,
          last_status_code = COALESCE(${result.statusCode}::int, last_status_code), last_error = ${result.error}
      WHERE seq = ${event.seq} AND attempts = ${event.fence}::int AND status = 'pending'`;
    return count === 1;
  },

  /** Ends a lease early after an interrupted attempt (shutdown; its count stays): the event is due again at once. */
  async release(event: Fenced, reason: string): Promise<void> {
    await db().$executeRaw`
      UPDATE webhook_events SET next_attempt_at = now(), last_error = ${reason}
      WHERE seq = ${event.seq} AND attempts = ${event.fence}::int AND status = 'pending'`;
  },

  /** `failing`: pending rows whose last attempt failed (their last error is set). */
  listForSession(sessionId: string, filter: { status?: WebhookEventStatus | 'failing'; limit: number }): Promise<WebhookEventRow[]> {
    const where =
      filter.status === 'failing'
        ? { sessionId, status: 'pending', lastError: { not: null } }
        : { sessionId, ...(filter.status ? { status: filter.status } : {}) };
    return db().webhookEvent.findMany({
      where,
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

  /** Which of `sessionIds` have a failing webhook: a pending event whose last attempt failed. */
  async sessionsWithFailing(sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const rows = await db().$queryRaw<Array<{ id: string }>>`
      SELECT s.id::text AS id FROM unnest(${sessionIds}::uuid[]) AS s(id)
      WHERE EXISTS (
        SELECT 1 FROM webhook_events w
        WHERE w.session_id = s.id AND w.status = 'pending' AND w.attempts > 0 AND w.last_error IS NOT NULL)`;
    return rows.map((r) => r.id);
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
