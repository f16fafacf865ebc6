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
  /** Inserts messages (ignoring ones already stored) and applies status updates, in one transaction. */
  async writeBatch(messages: StoredMessageInput[], updates: StatusUpdate[]): Promise<void> {
    await db().$transaction(async (tx) => {
      if (messages.length) {
        await tx.message.createMany({
          data: messages.map((m) => ({ ...m, content: m.content ?? undefined })),
          skipDuplicates: true,
        });
        const withStatus = messages.filter((m) => m.fromMe);
        for (const m of withStatus) {
          await tx.$executeRaw`
            INSERT INTO "message_statuses" ("message_row", "status", "at")
            SELECT "id", ${m.status}, ${m.timestamp} FROM "messages"
            WHERE "session_id" = ${m.sessionId}::uuid AND "chat_jid" = ${m.chatJid} AND "message_id" = ${m.messageId}
              AND NOT EXISTS (SELECT 1 FROM "message_statuses" s WHERE s."message_row" = "messages"."id" AND s."status" = ${m.status})`;
        }
      }
      for (const u of updates) {
        const rank = STATUS_RANK[u.status] ?? 0;
        await tx.$executeRaw`
          UPDATE "messages" SET "status" = ${u.status}, "updated_at" = now()
          WHERE "session_id" = ${u.sessionId}::uuid AND "message_id" = ANY(${u.messageIds}::text[])
            AND (CASE "status" WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 4 ELSE 0 END) < ${rank}`;
        await tx.$executeRaw`
          INSERT INTO "message_statuses" ("message_row", "status", "participant", "at")
          SELECT "id", ${u.status}, ${u.participant}, ${u.at} FROM "messages"
          WHERE "session_id" = ${u.sessionId}::uuid AND "message_id" = ANY(${u.messageIds}::text[])`;
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
