import { isJidGroup, type WAMessageKey, type WAPresence } from 'baileys';
import { badRequest } from '../../http/errors';
import { messageRepository } from '../../repositories/message.repository';
import { connectedSession, recipient, sendContent, type SendAnswer } from './outgoing';

/** The message a reaction, edit or deletion targets: from the store when known, else from the request. */
async function targetKey(sessionId: string, chat: string, id: string, fromMe: boolean | undefined, field: string): Promise<WAMessageKey> {
  const stored = await messageRepository.findWithHistory(sessionId, id);
  const own = fromMe ?? stored?.fromMe ?? true;
  const key: WAMessageKey = { remoteJid: chat, id, fromMe: own };
  if (isJidGroup(chat) && !own) {
    const participant = stored?.senderJid ?? stored?.senderLid;
    if (!participant) throw badRequest(`${field}: message ${id} is not in the message store, so its sender in the group is unknown`);
    key.participant = participant;
  }
  return key;
}

export interface ReactInput {
  Phone: string;
  Body: string;
  Id: string;
  IsFromMe: boolean;
}

/** Reacts to a message with an emoji; an empty Body removes the reaction. An Id written "me:<id>" is one of ours. */
export async function react(sessionId: string, input: ReactInput): Promise<SendAnswer> {
  const chat = recipient(input.Phone);
  connectedSession(sessionId);
  const own = input.Id.startsWith('me:');
  const key = await targetKey(sessionId, chat, own ? input.Id.slice(3) : input.Id, input.IsFromMe || own, 'Id');
  return sendContent(sessionId, chat, { react: { text: input.Body, key } });
}

export interface EditInput {
  Chat: string;
  Message: string;
  MessageID: string;
}

/** Replaces the text of one of our own messages (a protocol message of type MESSAGE_EDIT). */
export async function editMessage(sessionId: string, input: EditInput): Promise<SendAnswer> {
  const chat = recipient(input.Chat, 'Chat');
  connectedSession(sessionId);
  const stored = await messageRepository.findWithHistory(sessionId, input.MessageID);
  if (stored && !stored.fromMe) throw badRequest('MessageID: only messages this session sent can be edited');
  if (stored?.deletedAt) throw badRequest('MessageID: the message was deleted');
  const key: WAMessageKey = { remoteJid: chat, id: input.MessageID, fromMe: true };
  return sendContent(sessionId, chat, { text: input.Message, edit: key }, { field: 'Chat' });
}

export interface DeleteInput {
  Chat: string;
  MessageID: string;
}

/** Deletes a message for everyone (revoke): own messages, or others' in groups this session administers. */
export async function deleteForEveryone(sessionId: string, input: DeleteInput): Promise<SendAnswer> {
  const chat = recipient(input.Chat, 'Chat');
  connectedSession(sessionId);
  const key = await targetKey(sessionId, chat, input.MessageID, undefined, 'MessageID');
  if (!key.fromMe && !isJidGroup(chat)) throw badRequest("MessageID: only messages this session sent can be deleted for everyone in a 1:1 chat");
  return sendContent(sessionId, chat, { delete: key }, { field: 'Chat' });
}

export const PRESENCE_STATES = ['composing', 'paused', 'recording', 'available', 'unavailable'] as const;
export const PRESENCE_MEDIA = ['', 'text', 'audio'] as const;

export interface PresenceInput {
  Phone: string;
  State: (typeof PRESENCE_STATES)[number];
  Media?: (typeof PRESENCE_MEDIA)[number];
}

export interface PresenceAnswer {
  Details: string;
  Jid: string;
  State: WAPresence;
}

/** Sends a chat state to a chat: typing (composing; with Media "audio": recording), recording or paused. */
export async function chatPresence(sessionId: string, input: PresenceInput): Promise<PresenceAnswer> {
  const jid = recipient(input.Phone);
  const { sock } = connectedSession(sessionId);
  const state: WAPresence = input.State === 'composing' && input.Media === 'audio' ? 'recording' : input.State;
  await sock.sendPresenceUpdate(state, jid);
  return { Details: 'Chat presence set', Jid: jid, State: state };
}

export interface MarkReadInput {
  Id: string | string[] | Record<string, string>;
  Chat: string;
  Sender?: string;
}

export interface MarkReadAnswer {
  Details: string;
  Chat: string;
  Ids: string[];
}

/** Sends read receipts for messages of a chat (in groups, `Sender` names who sent them). */
export async function markRead(sessionId: string, input: MarkReadInput): Promise<MarkReadAnswer> {
  const chat = recipient(input.Chat, 'Chat');
  const sender = input.Sender ? recipient(input.Sender, 'Sender') : undefined;
  const ids = [...new Set(typeof input.Id === 'string' ? [input.Id] : Array.isArray(input.Id) ? input.Id : Object.values(input.Id))];
  if (ids.length === 0) throw badRequest('Id: must name at least one message id');
  const { sock } = connectedSession(sessionId);
  const keys: WAMessageKey[] = [];
  for (const id of ids) {
    let participant = sender;
    if (isJidGroup(chat) && !participant) {
      const stored = await messageRepository.findWithHistory(sessionId, id);
      participant = stored?.senderJid ?? stored?.senderLid ?? undefined;
      if (!participant) throw badRequest(`Sender: required for group messages not in the message store (${id})`);
    }
    keys.push({ remoteJid: chat, id, fromMe: false, participant });
  }
  await sock.readMessages(keys);
  return { Details: 'Message(s) marked as read', Chat: chat, Ids: ids };
}
