import { getContentType, isJidGroup, isJidStatusBroadcast, normalizeMessageContent, proto, type WAMessage, type MessageUserReceiptUpdate, type WAMessageUpdate } from 'baileys';
import type { EventPayloads } from '../../events/types';
import { userRef } from './jid';
import type { LidResolver } from '../lid-memo';

const TEXT_OF: Array<(m: proto.IMessage) => string | null | undefined> = [
  (m) => m.conversation,
  (m) => m.extendedTextMessage?.text,
  (m) => m.imageMessage?.caption,
  (m) => m.videoMessage?.caption,
  (m) => m.documentMessage?.caption,
];

/** The text a message shows (body or caption), if any. */
export function messageText(message: proto.IMessage | null | undefined): string | null {
  const content = normalizeMessageContent(message);
  if (!content) return null;
  for (const read of TEXT_OF) {
    const text = read(content);
    if (text) return text;
  }
  return null;
}

const STATUS_NAMES: Record<number, string> = {
  [proto.WebMessageInfo.Status.ERROR]: 'failed',
  [proto.WebMessageInfo.Status.PENDING]: 'pending',
  [proto.WebMessageInfo.Status.SERVER_ACK]: 'sent',
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: 'delivered',
  [proto.WebMessageInfo.Status.READ]: 'read',
  [proto.WebMessageInfo.Status.PLAYED]: 'played',
};

function timestampOf(value: WAMessage['messageTimestamp']): number {
  if (value === null || value === undefined) return Math.floor(Date.now() / 1000);
  return typeof value === 'number' ? value : Number(value.toString());
}

const MEDIA_KINDS = {
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
} as const;

type MediaContent = {
  url?: string | null;
  directPath?: string | null;
  mediaKey?: Uint8Array | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
  fileEncSha256?: Uint8Array | null;
  fileLength?: number | { toString(): string } | null;
  fileName?: string | null;
  seconds?: number | null;
  ptt?: boolean | null;
};

const b64 = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('base64') : null);

/**
 * Media metadata of a message, with exactly the fields its download route takes
 * (POST `downloadRoute` with Url, DirectPath, MediaKey, Mimetype, FileEncSHA256, FileSHA256, FileLength).
 */
export function mediaOf(content: proto.IMessage | undefined): Record<string, unknown> | null {
  if (!content) return null;
  for (const [field, kind] of Object.entries(MEDIA_KINDS)) {
    const media = content[field as keyof typeof MEDIA_KINDS] as MediaContent | null | undefined;
    if (!media) continue;
    return {
      kind,
      downloadRoute: `/message/download/${kind}`,
      Url: media.url ?? null,
      DirectPath: media.directPath ?? null,
      MediaKey: b64(media.mediaKey),
      Mimetype: media.mimetype ?? null,
      FileEncSHA256: b64(media.fileEncSha256),
      FileSHA256: b64(media.fileSha256),
      FileLength: media.fileLength === null || media.fileLength === undefined ? null : Number(media.fileLength.toString()),
      fileName: media.fileName ?? null,
      seconds: media.seconds ?? null,
      ptt: media.ptt ?? null,
    };
  }
  return null;
}

/** The documented `Message` event payload for one received or sent message. */
export async function mapMessage(msg: WAMessage, upsertType: string, resolver: LidResolver | undefined): Promise<EventPayloads['Message']> {
  const key = msg.key;
  const content = normalizeMessageContent(msg.message);
  const isGroup = key.remoteJid?.endsWith('@g.us') ?? false;
  const chat = await userRef(key.remoteJid, key.remoteJidAlt, resolver);
  const sender = key.fromMe ? null : isGroup ? await userRef(key.participant, key.participantAlt, resolver) : chat;
  return {
    id: key.id ?? null,
    chat,
    from: sender,
    fromMe: Boolean(key.fromMe),
    isGroup,
    timestamp: timestampOf(msg.messageTimestamp),
    pushName: msg.pushName ?? null,
    type: content ? (getContentType(content) ?? null) : null,
    text: messageText(msg.message),
    media: mediaOf(content),
    upsertType,
    /** For own messages: how far delivery got (Baileys may fold a receipt into the message). */
    status: msg.key.fromMe ? (STATUS_NAMES[msg.status ?? proto.WebMessageInfo.Status.SERVER_ACK] ?? 'sent') : null,
    message: msg.message ? (proto.Message.toObject(proto.Message.fromObject(msg.message), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>) : null,
  };
}

const RECEIPT_STATUS: Record<number, 'delivered' | 'read' | 'played' | undefined> = {
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: 'delivered',
  [proto.WebMessageInfo.Status.READ]: 'read',
  [proto.WebMessageInfo.Status.PLAYED]: 'played',
};

/** Status updates of our own messages (`messages.update`) as ReadReceipt events. */
export async function mapStatusUpdate(update: WAMessageUpdate, resolver: LidResolver | undefined): Promise<EventPayloads['ReadReceipt'] | null> {
  const status = update.update.status;
  const type = status !== null && status !== undefined ? RECEIPT_STATUS[status] : undefined;
  if (!type || !update.key.id) return null;
  const chat = await userRef(update.key.remoteJid, update.key.remoteJidAlt, resolver);
  return { chat, sender: chat, messageIds: [update.key.id], type, timestamp: Math.floor(Date.now() / 1000) };
}

/**
 * Receipts Baileys folded into an own message it still held in its event buffer, instead of
 * emitting them: group members' receipts (its `userReceipt`, else `message-receipt.update`) and,
 * in a one-to-one chat, the contact's receipt as the message's `status` (else `messages.update`).
 * The same ReadReceipt events, so a client following receipts alone misses none.
 */
export async function mapFoldedReceipts(msg: WAMessage, resolver: LidResolver | undefined): Promise<Array<EventPayloads['ReadReceipt']>> {
  if (!msg.key.fromMe) return [];
  if (msg.userReceipt?.length) {
    const receipts = await Promise.all(msg.userReceipt.map((receipt) => mapUserReceipt({ key: msg.key, receipt }, resolver)));
    return receipts.filter((r): r is EventPayloads['ReadReceipt'] => r !== null);
  }
  const chat = msg.key.remoteJid ?? undefined;
  if (isJidGroup(chat) || isJidStatusBroadcast(chat ?? '') || msg.status === null || msg.status === undefined) return [];
  const folded = await mapStatusUpdate({ key: msg.key, update: { status: msg.status } }, resolver);
  return folded ? [folded] : [];
}

/** Per-user receipts in groups (`message-receipt.update`). */
export async function mapUserReceipt(update: MessageUserReceiptUpdate, resolver: LidResolver | undefined): Promise<EventPayloads['ReadReceipt'] | null> {
  const r = update.receipt;
  const type = r.playedTimestamp ? 'played' : r.readTimestamp ? 'read' : r.receiptTimestamp ? 'delivered' : null;
  if (!type || !update.key.id) return null;
  const stamp = r.playedTimestamp ?? r.readTimestamp ?? r.receiptTimestamp;
  return {
    chat: await userRef(update.key.remoteJid, update.key.remoteJidAlt, resolver),
    sender: await userRef(r.userJid, null, resolver),
    messageIds: [update.key.id],
    type,
    timestamp: stamp === null || stamp === undefined ? Math.floor(Date.now() / 1000) : Number(stamp.toString()),
  };
}
