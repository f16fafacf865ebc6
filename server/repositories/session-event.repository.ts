import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

/** One event as the event log keeps it. */
export interface LoggedEventInput {
  eventId: string;
  sessionId: string;
  type: string;
  payload: unknown;
  at: Date;
}

export interface LoggedEventRow {
  seq: bigint;
  eventId: string;
  sessionId: string;
  sessionName: string;
  type: string;
  payload: unknown;
  createdAt: Date;
}

export interface EventLogQuery {
  /** Only these sessions; null: every session (admins). */
  sessionIds: string[] | null;
  type?: string;
  /** Case-insensitive text the event's type or data must contain. */
  search?: string;
  /** Only events older than this position (paging back). */
  beforeSeq?: bigint;
  limit: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The event log (`session_events`): the only code that reads and writes it. */
export const sessionEventRepository = {
  /** Appends events in one statement whatever their number (rows passed as one JSON parameter). */
  async append(events: LoggedEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e, n) => ({ n, event_id: e.eventId, session_id: e.sessionId, type: e.type, payload: e.payload ?? null, created_at: e.at.toISOString() }));
    // A session deleted while its events waited is skipped (the join), not a foreign-key failure.
    await db().$executeRaw`
      INSERT INTO "session_events" ("event_id", "session_id", "type", "payload", "created_at")
      SELECT r.event_id, r.session_id, r.type, coalesce(r.payload, 'null'::jsonb), r.created_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(n int, event_id uuid, session_id uuid, type text, payload jsonb, created_at timestamptz)
      JOIN "sessions" s ON s."id" = r.session_id
      ORDER BY r.n`;
  },
  /** Newest first, by the filters; each row with its session's name. */
  list(q: EventLogQuery): Promise<LoggedEventRow[]> {
    const pattern = q.search ? `%${likeLiteral(q.search)}%` : null;
    return db().$queryRaw<LoggedEventRow[]>`
      SELECT e."seq", e."event_id"::text AS "eventId", e."session_id"::text AS "sessionId", s."name" AS "sessionName",
             e."type", e."payload", e."created_at" AS "createdAt"
      FROM "session_events" e JOIN "sessions" s ON s."id" = e."session_id"
      WHERE (${q.sessionIds === null}::boolean OR e."session_id" = ANY(${q.sessionIds ?? []}::uuid[]))
        AND (${q.type ?? null}::text IS NULL OR e."type" = ${q.type ?? null})
        AND (${pattern}::text IS NULL OR e."type" ILIKE ${pattern} OR e."payload"::text ILIKE ${pattern})
        AND (${q.beforeSeq ?? null}::bigint IS NULL OR e."seq" < ${q.beforeSeq ?? null})
      ORDER BY e."seq" DESC
      LIMIT ${q.limit}`;
  },
  /** Deletes events older than the cutoff, at most `batch` rows; returns how many. */
  deleteOlderThan(cutoff: Date, batch: number): Promise<number> {
    return db().$executeRaw`
      DELETE FROM "session_events" WHERE "seq" IN (
        SELECT "seq" FROM "session_events" WHERE "created_at" < ${cutoff} LIMIT ${batch})`;
  },
  /** Deletes each session's events beyond its newest `keep`; returns how many. */
  trimPerSession(keep: number): Promise<number> {
    return db().$executeRaw`
      DELETE FROM "session_events" e
      USING (
        SELECT s."id", c."seq" FROM "sessions" s
        CROSS JOIN LATERAL (
          SELECT "seq" FROM "session_events" WHERE "session_id" = s."id" ORDER BY "seq" DESC OFFSET ${keep} LIMIT 1
        ) c
      ) cut
      WHERE e."session_id" = cut."id" AND e."seq" <= cut."seq"`;
  },
};
