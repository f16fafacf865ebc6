import { messageRepository } from '../repositories/message.repository';

/** One stored message as the dashboard's message log shows it. */
export interface LoggedMessage {
  id: string;
  messageId: string;
  chatJid: string;
  senderJid: string | null;
  fromMe: boolean;
  type: string | null;
  text: string | null;
  status: string;
  timestamp: string;
}

export interface MessageLogQuery {
  /** Words to find in message text (web-search syntax: "quoted phrase", -excluded, or). */
  search?: string;
  chatJid?: string;
  /** Only messages before this time (for paging back). */
  before?: Date;
  limit?: number;
}

export const MESSAGE_LOG_MAX = 200;

/** A session's stored messages, newest first, filtered by chat and/or text search. */
export async function listMessageLog(sessionId: string, query: MessageLogQuery = {}): Promise<LoggedMessage[]> {
  const rows = await messageRepository.list(sessionId, {
    search: query.search?.trim() || undefined,
    chatJid: query.chatJid,
    before: query.before,
    limit: Math.min(Math.max(query.limit ?? 50, 1), MESSAGE_LOG_MAX),
  });
  return rows.map((r) => ({ ...r, timestamp: r.timestamp.toISOString() }));
}
