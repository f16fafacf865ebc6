import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

export interface KeyWrite {
  type: string;
  keyId: string;
  /** Encrypted value; null deletes the key. */
  value: Uint8Array | null;
}

/** A key write of a given session. */
export interface SessionKeyWrite extends KeyWrite {
  sessionId: string;
}

/** Baileys credentials and Signal keys of sessions (values arrive here already encrypted). */
export const authStateRepository = {
  // Credentials and key reads are plain statements: every login and every first message with a
  // contact makes them, and the client's findUnique/upsert cost several times the CPU.
  async loadCreds(sessionId: string): Promise<Uint8Array | undefined> {
    const rows = await db().$queryRaw<Array<{ creds: Uint8Array }>>`SELECT "creds" FROM "session_auth" WHERE "session_id" = ${sessionId}::uuid`;
    return rows[0]?.creds;
  },
  async saveCreds(sessionId: string, creds: Uint8Array): Promise<void> {
    const data = Buffer.from(creds);
    await db().$executeRaw`
      INSERT INTO "session_auth" ("session_id", "creds", "updated_at") VALUES (${sessionId}::uuid, ${data}, now())
      ON CONFLICT ("session_id") DO UPDATE SET "creds" = EXCLUDED."creds", "updated_at" = now()`;
  },
  async getKeys(sessionId: string, type: string, keyIds: string[]): Promise<Array<{ keyId: string; value: Uint8Array }>> {
    if (keyIds.length === 0) return [];
    return db().$queryRaw<Array<{ keyId: string; value: Uint8Array }>>`
      SELECT "key_id" AS "keyId", "value" FROM "session_keys"
      WHERE "session_id" = ${sessionId}::uuid AND "type" = ${type} AND "key_id" = ANY(${keyIds}::text[])`;
  },
  /**
   * Applies a batch of key writes and deletes of one or more sessions atomically, in one SQL
   * statement (one round trip): the batch must name each key at most once.
   */
  async writeKeysOfSessions(writes: SessionKeyWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const upserts = writes.filter((w): w is SessionKeyWrite & { value: Uint8Array } => w.value !== null);
    const deletes = writes.filter((w) => w.value === null);
    await db().$executeRaw`
      WITH removed AS (
        DELETE FROM "session_keys" k
        USING unnest(${deletes.map((d) => d.sessionId)}::uuid[], ${deletes.map((d) => d.type)}::text[], ${deletes.map((d) => d.keyId)}::text[])
          AS d(session_id, type, key_id)
        WHERE k."session_id" = d.session_id AND k."type" = d.type AND k."key_id" = d.key_id
      )
      INSERT INTO "session_keys" ("session_id", "type", "key_id", "value")
      SELECT t.session_id, t.type, t.key_id, decode(t.value, 'base64')
      FROM unnest(${upserts.map((u) => u.sessionId)}::uuid[], ${upserts.map((u) => u.type)}::text[], ${upserts.map((u) => u.keyId)}::text[],
                  ${upserts.map((u) => Buffer.from(u.value).toString('base64'))}::text[]) AS t(session_id, type, key_id, value)
      ON CONFLICT ("session_id", "type", "key_id") DO UPDATE SET "value" = EXCLUDED."value"`;
  },
  /** Removes the credentials and every key of a session (logout). */
  async clear(sessionId: string): Promise<void> {
    await db().$transaction([
      db().sessionKey.deleteMany({ where: { sessionId } }),
      db().sessionAuth.deleteMany({ where: { sessionId } }),
    ]);
  },
  async countKeys(sessionId: string): Promise<number> {
    return db().sessionKey.count({ where: { sessionId } });
  },
};
