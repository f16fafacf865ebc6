import { Prisma } from '../generated/prisma/client';
import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

export interface OrphanRow {
  id: string;
  name: string;
  os: string;
  jid: string | null;
  lid: string | null;
  pushName: string | null;
  createdAt: Date;
}

/** Where the previous page of orphans ended. */
export type OrphanCursor = Pick<OrphanRow, 'createdAt' | 'id'>;

export interface LeaseRow {
  ownerId: string;
  ownerUrl: string | null;
  expiresAt: Date;
}

/** Session ownership across WaGo processes: one live lease per session. */
export const sessionLeaseRepository = {
  /** Takes the lease if it is free, expired or already ours; returns whether we hold it now. */
  async tryAcquire(sessionId: string, ownerId: string, ownerUrl: string | null, ttlMs: number): Promise<boolean> {
    const rows = await db().$queryRaw<Array<{ owner_id: string }>>`
      INSERT INTO "session_leases" ("session_id", "owner_id", "owner_url", "expires_at", "updated_at")
      VALUES (${sessionId}::uuid, ${ownerId}, ${ownerUrl}, now() + ${ttlMs} * interval '1 millisecond', now())
      ON CONFLICT ("session_id") DO UPDATE
        SET "owner_id" = EXCLUDED."owner_id", "owner_url" = EXCLUDED."owner_url",
            "expires_at" = EXCLUDED."expires_at", "updated_at" = now()
        WHERE "session_leases"."expires_at" < now() OR "session_leases"."owner_id" = EXCLUDED."owner_id"
      RETURNING "owner_id"`;
    return rows.length === 1;
  },
  /**
   * Extends our leases; returns the session ids we still hold. A lease of ours that expired while
   * the database could not be reached is still ours as long as no other process took it: it is
   * extended too, so the session runs on without a reconnect.
   */
  async renew(ownerId: string, sessionIds: string[], ttlMs: number): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const rows = await db().$queryRaw<Array<{ session_id: string }>>`
      UPDATE "session_leases" SET "expires_at" = now() + ${ttlMs} * interval '1 millisecond', "updated_at" = now()
      WHERE "owner_id" = ${ownerId} AND "session_id" = ANY(${sessionIds}::uuid[])
      RETURNING "session_id"`;
    return rows.map((r) => r.session_id);
  },
  async release(ownerId: string, sessionId: string): Promise<void> {
    await db().sessionLease.deleteMany({ where: { sessionId, ownerId } });
  },
  /** The live lease of a session, if any. */
  async live(sessionId: string): Promise<LeaseRow | null> {
    const row = await db().sessionLease.findUnique({ where: { sessionId } });
    return row && row.expiresAt.getTime() > Date.now() ? { ownerId: row.ownerId, ownerUrl: row.ownerUrl, expiresAt: row.expiresAt } : null;
  },
  /**
   * Sessions that should run but no live process owns (never started here, or their owner died),
   * and those whose lease is still held under `ownerId`: this process's own, from before a restart.
   * Read a page at a time in (created_at, id) order: `after` is the last row of the previous page.
   */
  async listOrphans(limit: number, ownerId: string, after?: OrphanCursor): Promise<OrphanRow[]> {
    const page = after ? Prisma.sql`AND (s."created_at", s."id") > (${after.createdAt}, ${after.id}::uuid)` : Prisma.empty;
    return db().$queryRaw<OrphanRow[]>`
      SELECT s."id", s."name", s."os", s."jid", s."lid", s."push_name" AS "pushName", s."created_at" AS "createdAt"
      FROM "sessions" s
      JOIN "session_auth" a ON a."session_id" = s."id"
      LEFT JOIN "session_leases" l ON l."session_id" = s."id"
      WHERE s."auto_connect" AND (l."session_id" IS NULL OR l."expires_at" < now() OR l."owner_id" = ${ownerId}) ${page}
      ORDER BY s."created_at", s."id"
      LIMIT ${limit}`;
  },
};
