import type { WAMessage } from 'baileys';

/**
 * protocolMessage types WhatsApp uses between one account's own devices (key shares, history
 * sync notices, backfill and peer-data requests, LID migrations). They are plumbing, not chat
 * messages: no Message event, no row in the message store. Revokes, edits and disappearing
 * settings are kept (they change chats). Values from WAProto `Message.ProtocolMessage.Type`.
 */
const DEVICE_SYNC_TYPES = new Set([4, 5, 6, 7, 8, 9, 10, 16, 17, 22]);

export function isDeviceSyncMessage(msg: WAMessage): boolean {
  const type = msg.message?.protocolMessage?.type;
  return typeof type === 'number' && DEVICE_SYNC_TYPES.has(type);
}
