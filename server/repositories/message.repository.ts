import { getRuntime } from '../runtime/registry';
import { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

export interface StoredMessageInput {
  sessionId: string;
  messageId: string;
  chatJid: string;
  chatLid: string | null;
  senderJid: string | null;
  senderLid: string | null;
  fromMe: boolean;
  type: string | null;
  text: string | null;
  content: Prisma.InputJsonValue | null;
  status: string;
  timestamp: Date;
}

export interface StatusUpdate {
  sessionId: string;
  messageIds: string[];
  status: string;
  participant: string | null;
  at: Date;
}

export const STATUS_RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 4 };

/** The message store: the only code that reads and writes `messages` and `message_statuses`. */
export const messageRepository = {
  /**
   * Inserts messages (ignoring ones already stored, with the first history entry of own ones)
   * and applies status updates, in one set-based statement whatever the batch size (one round
   * trip, atomic by itself), the rows passed as JSON parameters (no per-row work in the client).
   * A receipt for a message inserted by the same batch is folded into the inserted row: the
   * statement's UPDATE sees the table as it was before the statement, so it moves only rows
   * that were already stored. Stored rows are found by index, one lookup per receipt: a join the
   * planner may turn into a scan of the whole table made every batch slower as the store grew.
   */
  async writeBatch(messages: StoredMessageInput[], updates: StatusUpdate[]): Promise<void> {
    if (messages.length === 0 && updates.length === 0) return;
    const rows = messages.map((m) => ({
      session_id: m.sessionId,
      message_id: m.messageId,
      chat_jid: m.chatJid,
      chat_lid: m.chatLid,
      sender_jid: m.senderJid,
      sender_lid: m.senderLid,
      from_me: m.fromMe,
      type: m.type,
      text: m.text,
      content: m.content,
      status: m.status,
      timestamp: m.timestamp.toISOString(),
    }));
    const receipts = updates.flatMap((u) =>
      u.messageIds.map((messageId) => ({
        session_id: u.sessionId,
        message_id: messageId,
        status: u.status,
        rank: STATUS_RANK[u.status] ?? 0,
        participant: u.participant,
        at: u.at.toISOString(),
      })),
    );
    // Statuses only move forward (sent → delivered → read → played); every receipt is kept.
    await db().$executeRaw`
      WITH batch AS (
        SELECT DISTINCT ON (r.session_id, r.chat_jid, r.message_id) r.*
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
          session_id uuid, message_id text, chat_jid text, chat_lid text, sender_jid text, sender_lid text,
          from_me boolean, type text, text text, content jsonb, status text, timestamp timestamptz)
      ), receipts AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(receipts)}::jsonb)
          AS r(session_id uuid, message_id text, status text, rank int, participant text, at timestamptz)
      ), furthest AS (
        SELECT DISTINCT ON (session_id, message_id) session_id, message_id, status, rank
        FROM receipts ORDER BY session_id, message_id, rank DESC
      ), inserted AS (
        INSERT INTO "messages" ("id", "session_id", "message_id", "chat_jid", "chat_lid", "sender_jid", "sender_lid",
                                "from_me", "type", "text", "content", "status", "timestamp", "updated_at")
        SELECT gen_random_uuid(), b.session_id, b.message_id, b.chat_jid, b.chat_lid, b.sender_jid, b.sender_lid,
               b.from_me, b.type, b.text, b.content,
               CASE WHEN f.rank > (CASE b.status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4 ELSE 0 END)
                    THEN f.status ELSE b.status END,
               b.timestamp, now()
        FROM batch b LEFT JOIN furthest f ON f.session_id = b.session_id AND f.message_id = b.message_id
        ON CONFLICT ("session_id", "chat_jid", "message_id") DO NOTHING
        RETURNING "id", "session_id", "chat_jid", "message_id", "from_me", "timestamp"
      ), stored AS (
        -- Each receipt's message by index (LATERAL keeps it a lookup per receipt, never a scan of the table).
        SELECT m."id", m."session_id", m."message_id", m."status", f.status AS new_status, f.rank AS new_rank
        FROM furthest f CROSS JOIN LATERAL (
          SELECT "id", "session_id", "message_id", "status" FROM "messages"
          WHERE "session_id" = f.session_id AND "message_id" = f.message_id
          OFFSET 0 -- a fence: the planner may not flatten this into a join (and scan the table)
        ) m
      ), moved AS (
        UPDATE "messages" m SET "status" = s.new_status, "updated_at" = now()
        FROM stored s
        WHERE m."id" = ANY(ARRAY(
            SELECT "id" FROM stored
            WHERE (CASE "status" WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4 ELSE 0 END) < new_rank))
          AND m."id" = s."id"
      )
      INSERT INTO "message_statuses" ("message_row", "status", "participant", "at")
      SELECT i."id", b.status, NULL, i."timestamp"
      FROM inserted i JOIN batch b ON b.session_id = i."session_id" AND b.chat_jid = i."chat_jid" AND b.message_id = i."message_id"
      WHERE i."from_me"
      UNION ALL
      SELECT t."id", r.status, r.participant, r.at
      FROM receipts r JOIN (SELECT "id", "session_id", "message_id" FROM inserted UNION ALL SELECT "id", "session_id", "message_id" FROM stored) t
        ON t."session_id" = r.session_id AND t."message_id" = r.message_id`;
  },
  /** A message and its status history, by WhatsApp id. */
  findWithHistory(sessionId: string, messageId: string) {
    return db().message.findFirst({
      where: { sessionId, messageId },
      include: { statuses: { orderBy: { at: 'asc' } } },
      orderBy: { createdAt: 'desc' },
    });
  },
  /** The content of a message this session sent (for re-sending it), with its chat; null when not stored. */
  findOwnContent(sessionId: string, messageId: string) {
    return db().message.findFirst({
      where: { sessionId, messageId, fromMe: true, deletedAt: null },
      select: { chatJid: true, chatLid: true, content: true },
      orderBy: { createdAt: 'desc' },
    });
  },
  /** Whether the store holds a message this session received under a given WhatsApp id. */
  async hasReceived(sessionId: string, messageId: string): Promise<boolean> {
    const row = await db().message.findFirst({ where: { sessionId, messageId, fromMe: false }, select: { id: true } });
    return row !== null;
  },
  /** A message this session sent under a given WhatsApp id (a send's `Id`), for answering a repeated send; null when not stored. */
  findOwnSent(sessionId: string, messageId: string) {
    return db().message.findFirst({
      where: { sessionId, messageId, fromMe: true },
      select: { chatJid: true, chatLid: true, status: true, timestamp: true },
      orderBy: { createdAt: 'desc' },
    });
  },
  /** Messages of a session, newest first, optionally of one chat and/or matching a text search. */
  async list(sessionId: string, opts: { chatJid?: string; search?: string; limit: number; before?: Date }) {
    if (opts.search) {
      return db().$queryRaw<Array<{ id: string; messageId: string; chatJid: string; senderJid: string | null; fromMe: boolean; type: string | null; text: string | null; status: string; timestamp: Date }>>`
        SELECT "id", "message_id" AS "messageId", "chat_jid" AS "chatJid", "sender_jid" AS "senderJid", "from_me" AS "fromMe",
               "type", "text", "status", "timestamp"
        FROM "messages"
        WHERE "session_id" = ${sessionId}::uuid
          AND to_tsvector('simple', coalesce("text", '')) @@ websearch_to_tsquery('simple', ${opts.search})
          AND (${opts.chatJid ?? null}::text IS NULL OR "chat_jid" = ${opts.chatJid ?? null})
          AND (${opts.before ?? null}::timestamptz IS NULL OR "timestamp" < ${opts.before ?? null})
        ORDER BY "timestamp" DESC LIMIT ${opts.limit}`;
    }
    return db().message.findMany({
      where: { sessionId, ...(opts.chatJid ? { chatJid: opts.chatJid } : {}), ...(opts.before ? { timestamp: { lt: opts.before } } : {}) },
      orderBy: { timestamp: 'desc' },
      take: opts.limit,
      select: { id: true, messageId: true, chatJid: true, senderJid: true, fromMe: true, type: true, text: true, status: true, timestamp: true },
    });
  },
  /** Deletes messages older than the cutoff; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await db().message.deleteMany({ where: { timestamp: { lt: cutoff } } });
    return result.count;
  },
  /**
   * The one-to-one chats (phone-number or LID JIDs) of a session's message store, most recently
   * active first, each with the LID stored beside a phone-number chat.
   */
  recentDirectChats(sessionId: string, limit: number) {
    return db().$queryRaw<Array<{ chatJid: string; chatLid: string | null }>>`
      SELECT "chat_jid" AS "chatJid", max("chat_lid") AS "chatLid"
      FROM "messages"
      WHERE "session_id" = ${sessionId}::uuid AND ("chat_jid" LIKE '%@s.whatsapp.net' OR "chat_jid" LIKE '%@lid')
      GROUP BY "chat_jid"
      ORDER BY max("timestamp") DESC
      LIMIT ${limit}`;
  },
  /** The newest stored messages of a chat (keys and timestamps), newest first. */
  lastInChat(sessionId: string, chatJid: string, take = 1) {
    return db().message.findMany({
      where: { sessionId, chatJid },
      orderBy: { timestamp: 'desc' },
      take,
      select: { messageId: true, chatJid: true, fromMe: true, senderJid: true, timestamp: true },
    });
  },
  /**
   * Sets (emoji) or removes (null) one reactor's reaction on a stored message, atomically.
   * Returns how many rows changed (0 when the message is not stored).
   */
  setReaction(change: ChangeTarget & { reactor: string; emoji: string | null }): Promise<number> {
    const reactionPatch = change.emoji === null ? null : JSON.stringify({ [change.reactor]: change.emoji });
    return db().$executeRaw`
      UPDATE "messages" SET
        "reactions" = CASE
          WHEN ${reactionPatch}::jsonb IS NULL THEN nullif(coalesce("reactions", '{}'::jsonb) - ${change.reactor}::text, '{}'::jsonb)
          ELSE coalesce("reactions", '{}'::jsonb) || ${reactionPatch}::jsonb
        END,
        "updated_at" = now()
      WHERE "session_id" = ${change.sessionId}::uuid AND "message_id" = ${change.messageId}
        AND (${change.chatJid}::text IS NULL OR "chat_jid" = ${change.chatJid})`;
  },
  /** Records an edit: the new text and content, and when it was edited. Returns rows changed. */
  async markEdited(change: ChangeTarget & { text: string | null; content: Prisma.InputJsonValue | null; at: Date }): Promise<number> {
    const result = await db().message.updateMany({
      where: { sessionId: change.sessionId, messageId: change.messageId, ...(change.chatJid ? { chatJid: change.chatJid } : {}) },
      data: { text: change.text, ...(change.content ? { content: change.content } : {}), editedAt: change.at },
    });
    return result.count;
  },
  /** Records a deletion for everyone: the content is dropped, the row kept with `deletedAt`. Returns rows changed. */
  async markDeleted(change: ChangeTarget & { at: Date }): Promise<number> {
    const result = await db().message.updateMany({
      where: { sessionId: change.sessionId, messageId: change.messageId, ...(change.chatJid ? { chatJid: change.chatJid } : {}) },
      data: { text: null, content: Prisma.DbNull, deletedAt: change.at },
    });
    return result.count;
  },
};

/** The stored message a change (reaction, edit, deletion) applies to. */
export interface ChangeTarget {
  sessionId: string;
  messageId: string;
  /** Narrows to one chat when known. */
  chatJid: string | null;
}
