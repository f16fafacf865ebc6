import { getRuntime } from '../runtime/registry';
import { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

/** How many unread messages a conversation counts at most (the list shows "99+" beyond). */
export const UNREAD_CAP = 100;

export interface ConversationRow {
  chatJid: string;
  chatLid: string | null;
  messageId: string;
  fromMe: boolean;
  senderJid: string | null;
  type: string | null;
  text: string | null;
  status: string;
  timestamp: Date;
  deleted: boolean;
  unread: number;
  fullName: string | null;
  pushName: string | null;
  businessName: string | null;
  subject: string | null;
}

export interface ThreadRow {
  id: string;
  messageId: string;
  fromMe: boolean;
  senderJid: string | null;
  senderLid: string | null;
  type: string | null;
  text: string | null;
  content: unknown;
  status: string;
  reactions: unknown;
  timestamp: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** A read mark only moves forward, in (timestamp, stored at) order. */
const FORWARD_ONLY = Prisma.sql`
  "read_at" = CASE WHEN (excluded."read_at", excluded."read_stored_at") > ("chat_reads"."read_at", "chat_reads"."read_stored_at") THEN excluded."read_at" ELSE "chat_reads"."read_at" END,
  "read_stored_at" = CASE WHEN (excluded."read_at", excluded."read_stored_at") > ("chat_reads"."read_at", "chat_reads"."read_stored_at") THEN excluded."read_stored_at" ELSE "chat_reads"."read_stored_at" END`;

/** The dashboard inbox's reads of the message store, and its read marks (`chat_reads`). */
export const inboxRepository = {
  /**
   * A session's conversations, most recently active first, each with its newest message, its
   * unread count (incoming messages after the read mark and after the session's own last
   * message, counted among the newest 100 at most) and its names. Index-backed: the distinct
   * chats are walked with a skip scan of (session_id, chat_jid, …) — one index probe per chat,
   * never a pass over the messages — then each chat's newest messages by (session_id, chat_jid,
   * timestamp DESC).
   */
  conversations(sessionId: string, opts: { limit: number; before?: { timestamp: Date; chatJid: string } }): Promise<ConversationRow[]> {
    const beforeAt = opts.before?.timestamp ?? null;
    const beforeChat = opts.before?.chatJid ?? '';
    return db().$queryRaw<ConversationRow[]>`
      WITH RECURSIVE chats(chat_jid) AS (
        (SELECT "chat_jid" FROM "messages" WHERE "session_id" = ${sessionId}::uuid ORDER BY "chat_jid" LIMIT 1)
        UNION ALL
        SELECT (SELECT m."chat_jid" FROM "messages" m WHERE m."session_id" = ${sessionId}::uuid AND m."chat_jid" > c.chat_jid ORDER BY m."chat_jid" LIMIT 1)
        FROM chats c WHERE c.chat_jid IS NOT NULL
      ), latest AS (
        SELECT l.* FROM chats c CROSS JOIN LATERAL (
          SELECT "chat_jid", "chat_lid", "message_id", "from_me", "sender_jid", "type", "text", "status", "timestamp", "deleted_at"
          FROM "messages" WHERE "session_id" = ${sessionId}::uuid AND "chat_jid" = c.chat_jid
          ORDER BY "timestamp" DESC LIMIT 1
        ) l
        WHERE c.chat_jid IS NOT NULL AND c.chat_jid <> 'status@broadcast'
          AND (${beforeAt}::timestamptz IS NULL OR (l."timestamp", l."chat_jid") < (${beforeAt}::timestamptz, ${beforeChat}::text))
        ORDER BY l."timestamp" DESC, l."chat_jid" DESC
        LIMIT ${opts.limit}
      )
      SELECT l."chat_jid" AS "chatJid", l."chat_lid" AS "chatLid", l."message_id" AS "messageId", l."from_me" AS "fromMe",
             l."sender_jid" AS "senderJid", l."type", l."text", l."status", l."timestamp", l."deleted_at" IS NOT NULL AS "deleted",
             u.unread, ct."full_name" AS "fullName", ct."push_name" AS "pushName", ct."business_name" AS "businessName",
             g."metadata"->>'subject' AS "subject"
      FROM latest l
      LEFT JOIN "chat_reads" r ON r."session_id" = ${sessionId}::uuid AND r."chat_jid" = l."chat_jid"
      CROSS JOIN LATERAL (
        WITH w AS (
          SELECT "from_me", "timestamp", "created_at" FROM "messages"
          WHERE "session_id" = ${sessionId}::uuid AND "chat_jid" = l."chat_jid" AND "timestamp" >= coalesce(r."read_at", '-infinity'::timestamptz)
            AND ("timestamp", "created_at") > (coalesce(r."read_at", '-infinity'::timestamptz), coalesce(r."read_stored_at", '-infinity'::timestamptz))
          ORDER BY "timestamp" DESC LIMIT ${UNREAD_CAP}
        ), own AS (
          SELECT "timestamp", "created_at" FROM w WHERE "from_me" ORDER BY "timestamp" DESC, "created_at" DESC LIMIT 1
        )
        SELECT (count(*) FILTER (WHERE NOT w."from_me" AND (NOT EXISTS (SELECT 1 FROM own)
                 OR (w."timestamp", w."created_at") > (SELECT "timestamp", "created_at" FROM own))))::int AS unread
        FROM w
      ) u
      LEFT JOIN LATERAL (
        SELECT "full_name", "push_name", "business_name" FROM "contacts"
        WHERE "session_id" = ${sessionId}::uuid AND ("jid" = l."chat_jid" OR "jid" = l."chat_lid")
        UNION ALL
        SELECT "full_name", "push_name", "business_name" FROM "contacts"
        WHERE "session_id" = ${sessionId}::uuid AND "lid" = l."chat_jid"
        LIMIT 1
      ) ct ON true
      LEFT JOIN "group_metadata" g ON g."session_id" = ${sessionId}::uuid AND g."group_jid" = l."chat_jid"
      ORDER BY l."timestamp" DESC, l."chat_jid" DESC`;
  },
  /** A chat's messages, newest first, with what a thread shows (content, reactions, edits). */
  thread(sessionId: string, chatJid: string, opts: { limit: number; before?: Date }): Promise<ThreadRow[]> {
    return db().message.findMany({
      where: { sessionId, chatJid, ...(opts.before ? { timestamp: { lt: opts.before } } : {}) },
      orderBy: [{ timestamp: 'desc' }, { messageId: 'desc' }],
      take: opts.limit,
      select: {
        id: true, messageId: true, fromMe: true, senderJid: true, senderLid: true, type: true, text: true, content: true,
        status: true, reactions: true, timestamp: true, editedAt: true, deletedAt: true,
      },
    });
  },
  /** A chat's unread incoming messages (after the read mark and the session's last own message), newest first. */
  unreadIncoming(sessionId: string, chatJid: string, limit: number) {
    return db().$queryRaw<Array<{ messageId: string; senderJid: string | null; senderLid: string | null; timestamp: Date }>>`
      SELECT m."message_id" AS "messageId", m."sender_jid" AS "senderJid", m."sender_lid" AS "senderLid", m."timestamp"
      FROM "messages" m
      LEFT JOIN "chat_reads" r ON r."session_id" = m."session_id" AND r."chat_jid" = m."chat_jid"
      WHERE m."session_id" = ${sessionId}::uuid AND m."chat_jid" = ${chatJid} AND NOT m."from_me" AND m."deleted_at" IS NULL
        AND m."timestamp" >= coalesce(r."read_at", '-infinity'::timestamptz)
        AND (m."timestamp", m."created_at") > (coalesce(r."read_at", '-infinity'::timestamptz), coalesce(r."read_stored_at", '-infinity'::timestamptz))
        AND NOT EXISTS (SELECT 1 FROM "messages" o
              WHERE o."session_id" = m."session_id" AND o."chat_jid" = m."chat_jid" AND o."from_me"
                AND o."timestamp" >= m."timestamp" AND (o."timestamp", o."created_at") > (m."timestamp", m."created_at"))
      ORDER BY m."timestamp" DESC
      LIMIT ${limit}`;
  },
  /** Moves a chat's read mark forward to `at`, covering every message stored until now (never back). */
  async markRead(sessionId: string, chatJid: string, at: Date): Promise<void> {
    await db().$executeRaw`
      INSERT INTO "chat_reads" ("session_id", "chat_jid", "read_at", "read_stored_at") VALUES (${sessionId}::uuid, ${chatJid}, ${at}, now())
      ON CONFLICT ("session_id", "chat_jid") DO UPDATE SET ${FORWARD_ONLY}`;
  },
  /** Moves a chat's read mark forward to its newest stored message (the chat was read elsewhere). */
  async markReadToNewest(sessionId: string, chatJid: string): Promise<void> {
    await db().$executeRaw`
      INSERT INTO "chat_reads" ("session_id", "chat_jid", "read_at", "read_stored_at")
      SELECT ${sessionId}::uuid, ${chatJid}, m."timestamp", m."created_at" FROM "messages" m
      WHERE m."session_id" = ${sessionId}::uuid AND m."chat_jid" = ${chatJid}
      ORDER BY m."timestamp" DESC, m."created_at" DESC LIMIT 1
      ON CONFLICT ("session_id", "chat_jid") DO UPDATE SET ${FORWARD_ONLY}`;
  },
  /** The newest message of a chat's time (the read mark a "mark as read" sets). */
  async newestAt(sessionId: string, chatJid: string): Promise<Date | null> {
    const row = await db().message.findFirst({ where: { sessionId, chatJid }, orderBy: { timestamp: 'desc' }, select: { timestamp: true } });
    return row?.timestamp ?? null;
  },
  /** Names of senders (for group threads): contact rows by JID or LID. */
  names(sessionId: string, jids: string[]) {
    if (jids.length === 0) return Promise.resolve([]);
    return db().contact.findMany({
      where: { sessionId, OR: [{ jid: { in: jids } }, { lid: { in: jids } }] },
      select: { jid: true, lid: true, fullName: true, pushName: true, businessName: true },
    });
  },
  /** One stored message's content (for its media), by WhatsApp id, in a chat. */
  messageContent(sessionId: string, chatJid: string, messageId: string) {
    return db().message.findFirst({ where: { sessionId, chatJid, messageId }, select: { content: true, type: true, deletedAt: true } });
  },
};
