import { messageRepository } from '../repositories/message.repository';
import { notFound } from '../http/errors';

export interface MessageStatusAnswer {
  Id: string;
  Chat: string;
  FromMe: boolean;
  Status: string;
  Timestamp: number;
  History: Array<{ Status: string; Participant: string | null; At: string }>;
}

/** The stored status of a message and how it got there (sent, delivered, read, played). */
export async function getMessageStatus(sessionId: string, messageId: string): Promise<MessageStatusAnswer> {
  const row = await messageRepository.findWithHistory(sessionId, messageId);
  if (!row) throw notFound(`Id: no stored message ${messageId}`);
  return {
    Id: row.messageId,
    Chat: row.chatJid,
    FromMe: row.fromMe,
    Status: row.status,
    Timestamp: Math.floor(row.timestamp.getTime() / 1000),
    History: row.statuses.map((s) => ({ Status: s.status, Participant: s.participant, At: s.at.toISOString() })),
  };
}
