import { getRuntime } from '../runtime/registry';
import type { Prisma } from '../generated/prisma/client';

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
   * Inserts messages (ignoring ones already stored) and applies status updates, in one
   * transaction of a few set-based statements whatever the batch size.
   */
  async writeBatch(messages: StoredMessageInput[], updates: StatusUpdate[]): Promise<void> {
    const own = messages.filter((m) => m.fromMe);
    const flat = updates.flatMap((u) => u.messageIds.map((messageId) => ({ ...u, messageId })));
    await db().$transaction(async (tx) => {
      if (messages.length) {
        await tx.message.createMany({ data: messages.map((m) => ({ ...m, content: m.content ?? undefined })), skipDuplicates: true });
      }
      if (own.length) {
        await tx.$executeRaw`
          INSERT INTO "message_statuses" ("message_row", "status", "at")
          SELECT m."id", o.status, o.at
          FROM unnest(${own.map((m) => m.sessionId)}::uuid[], ${own.map((m) => m.chatJid)}::text[], ${own.map((m) => m.messageId)}::text[],
                      ${own.map((m) => m.status)}::text[], ${own.map((m) => m.timestamp)}::timestamptz[]) AS o(session_id, chat_jid, message_id, status, at)
          JOIN "messages" m ON m."session_id" = o.session_id AND m."chat_jid" = o.chat_jid AND m."message_id" = o.message_id
          WHERE NOT EXISTS (SELECT 1 FROM "message_statuses" s WHERE s."message_row" = m."id" AND s."status" = o.status)`;
      }
      if (flat.length) {
        const args = [
          flat.map((u) => u.sessionId),
          flat.map((u) => u.messageId),
          flat.map((u) => u.status),
          flat.map((u) => STATUS_RANK[u.status] ?? 0),
          flat.map((u) => u.participant),
          flat.map((u) => u.at),
        ] as const;
        // Statuses only move forward (sent → delivered → read → played); the furthest one wins.
        await tx.$executeRaw`
          UPDATE "messages" m SET "status" = u.status, "updated_at" = now()
          FROM (
            SELECT DISTINCT ON (session_id, message_id) session_id, message_id, status, rank
            FROM unnest(${args[0]}::uuid[], ${args[1]}::text[], ${args[2]}::text[], ${args[3]}::int[]) AS x(session_id, message_id, status, rank)
            ORDER BY session_id, message_id, rank DESC
          ) u
          WHERE m."session_id" = u.session_id AND m."message_id" = u.message_id
            AND (CASE m."status" WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4 ELSE 0 END) < u.rank`;
        await tx.$executeRaw`
          INSERT INTO "message_statuses" ("message_row", "status", "participant", "at")
          SELECT m."id", x.status, x.participant, x.at
          FROM unnest(${args[0]}::uuid[], ${args[1]}::text[], ${args[2]}::text[], ${args[4]}::text[], ${args[5]}::timestamptz[]) AS x(session_id, message_id, status, participant, at)
          JOIN "messages" m ON m."session_id" = x.session_id AND m."message_id" = x.message_id`;
      }
    });
  },
  /** A message and its status history, by WhatsApp id. */
  findWithHistory(sessionId: string, messageId: string) {
    return db().message.findFirst({
      where: { sessionId, messageId },
      include: { statuses: { orderBy: { at: 'asc' } } },
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
};
