import { isJidGroup } from 'baileys';
import { badRequest } from '../../http/errors';
import { inboxRepository, UNREAD_CAP, type ConversationRow } from '../../repositories/inbox.repository';
import { markRead } from '../messaging/message-actions.service';
import { phoneOfJid } from './names';
import { decodeStored, kindOf, mediaViewOf, pollOptionsOf, quotedOf, textOf, type MediaView, type QuotedView } from './message-kinds';

/** One conversation of the inbox list. */
export interface Conversation {
  chatJid: string;
  chatLid: string | null;
  isGroup: boolean;
  /** Group subject, saved contact name, push name, business name, else the phone number. */
  name: string;
  /** The phone number (digits) of a one-to-one chat, when known. */
  phone: string | null;
  lastMessage: { messageId: string; fromMe: boolean; kind: string; text: string | null; status: string; timestamp: string; deleted: boolean };
  /** Unread incoming messages (at most 100: the list shows "99+"). */
  unread: number;
  unreadCapped: boolean;
}

export interface ThreadMessage {
  id: string;
  messageId: string;
  fromMe: boolean;
  senderJid: string | null;
  senderName: string | null;
  /** "Text", "Photo", "Voice note", "Poll"… */
  kind: string;
  text: string | null;
  media: MediaView | null;
  pollOptions: string[] | null;
  quoted: QuotedView | null;
  reactions: Array<{ emoji: string; by: string }>;
  /** pending, sent, delivered, read, played, failed (own messages) or received. */
  status: string;
  timestamp: string;
  edited: boolean;
  deleted: boolean;
}

export const CONVERSATIONS_MAX = 100;
export const THREAD_MAX = 200;

function conversationOf(row: ConversationRow): Conversation {
  const isGroup = isJidGroup(row.chatJid) ?? false;
  const phone = phoneOfJid(row.chatJid) ?? phoneOfJid(row.chatLid);
  const name = (isGroup ? row.subject : null) || row.fullName || row.pushName || row.businessName || (phone ? `+${phone}` : row.chatJid);
  return {
    chatJid: row.chatJid,
    chatLid: row.chatLid,
    isGroup,
    name,
    phone,
    lastMessage: {
      messageId: row.messageId,
      fromMe: row.fromMe,
      kind: kindOf(row.type, undefined),
      text: row.deleted ? null : row.text,
      status: row.status,
      timestamp: row.timestamp.toISOString(),
      deleted: row.deleted,
    },
    unread: row.unread,
    unreadCapped: row.unread >= UNREAD_CAP,
  };
}

/** A session's conversations from the message store, most recently active first (paged by `before`). */
export async function listConversations(sessionId: string, query: { limit?: number; before?: { timestamp: Date; chatJid: string } } = {}): Promise<Conversation[]> {
  const rows = await inboxRepository.conversations(sessionId, { limit: Math.min(Math.max(query.limit ?? 50, 1), CONVERSATIONS_MAX), before: query.before });
  return rows.map(conversationOf);
}

/** A chat's messages, newest first (paged by `before`), as the thread shows them. */
export async function chatThread(sessionId: string, chatJid: string, query: { limit?: number; before?: Date } = {}): Promise<ThreadMessage[]> {
  const rows = await inboxRepository.thread(sessionId, chatJid, { limit: Math.min(Math.max(query.limit ?? 50, 1), THREAD_MAX), before: query.before });
  const senders = [...new Set(rows.flatMap((r) => (r.fromMe ? [] : [r.senderJid, r.senderLid].filter((j): j is string => Boolean(j)))))];
  const contacts = await inboxRepository.names(sessionId, senders);
  const nameOf = (jid: string | null, lid: string | null): string | null => {
    const c = contacts.find((x) => (jid && (x.jid === jid || x.lid === jid)) || (lid && (x.jid === lid || x.lid === lid)));
    return c?.fullName || c?.pushName || c?.businessName || null;
  };
  return rows.map((r) => {
    const content = r.deletedAt ? undefined : decodeStored(r.content);
    const reactions = r.reactions && typeof r.reactions === 'object' && !Array.isArray(r.reactions) ? Object.entries(r.reactions as Record<string, unknown>) : [];
    return {
      id: r.id,
      messageId: r.messageId,
      fromMe: r.fromMe,
      senderJid: r.senderJid ?? r.senderLid,
      senderName: r.fromMe ? null : nameOf(r.senderJid, r.senderLid),
      kind: r.deletedAt ? 'Deleted' : kindOf(r.type, content),
      text: r.deletedAt ? null : (r.text ?? textOf(content)),
      media: mediaViewOf(content),
      pollOptions: pollOptionsOf(content),
      quoted: quotedOf(content),
      reactions: reactions.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '').map(([by, emoji]) => ({ by, emoji })),
      status: r.status,
      timestamp: r.timestamp.toISOString(),
      edited: r.editedAt !== null,
      deleted: r.deletedAt !== null,
    };
  });
}

export interface MarkConversationReadAnswer {
  Chat: string;
  /** The messages a read receipt was sent for (none when nothing was unread). */
  Ids: string[];
}

/** Most unread messages one "mark as read" sends receipts for (the read mark covers the rest). */
const RECEIPTS_MAX = 500;

/**
 * Marks a conversation read: read receipts for its unread incoming messages go to WhatsApp
 * through the same service as `/message/markread` (in groups, one call per sender), then the
 * chat's read mark moves to its newest message.
 */
export async function markConversationRead(sessionId: string, chatJid: string): Promise<MarkConversationReadAnswer> {
  const newest = await inboxRepository.newestAt(sessionId, chatJid);
  if (!newest) throw badRequest(`chatJid: no conversation with ${chatJid}`);
  const unread = await inboxRepository.unreadIncoming(sessionId, chatJid, RECEIPTS_MAX);
  if (unread.length > 0) {
    if (isJidGroup(chatJid)) {
      const bySender = new Map<string, string[]>();
      for (const m of unread) {
        const sender = m.senderJid ?? m.senderLid;
        if (!sender) continue;
        bySender.set(sender, [...(bySender.get(sender) ?? []), m.messageId]);
      }
      for (const [sender, ids] of bySender) await markRead(sessionId, { Chat: chatJid, Id: ids, Sender: sender });
    } else {
      await markRead(sessionId, { Chat: chatJid, Id: unread.map((m) => m.messageId) });
    }
  }
  await inboxRepository.markRead(sessionId, chatJid, newest);
  return { Chat: chatJid, Ids: unread.map((m) => m.messageId) };
}
