import { normalizeMessageContent, proto } from 'baileys';
import { badRequest, notFound } from '../http/errors';
import { messageRepository } from '../repositories/message.repository';
import { inboxRepository } from '../repositories/inbox.repository';
import type { MediaKind } from './messaging/media/media-kinds';
import { downloadWhatsAppMedia, type EncryptedMediaRef } from './messaging/media/wa-media-download';
import { mediaRefOf } from './messaging/media/media-ref';

/** The documented download fields (MediaKey and hashes base64). */
export interface DownloadInput {
  Url?: string;
  DirectPath?: string;
  MediaKey?: string;
  Mimetype?: string;
  FileEncSHA256?: string;
  FileSHA256?: string;
  FileLength?: number;
}

export interface DownloadAnswer {
  /** The decrypted media as a base64 data URL. */
  Data: string;
  Mimetype: string;
  FileLength: number;
}

function bytes32(field: string, value: string): Buffer {
  const data = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64');
  if (!/^[A-Za-z0-9+/\-_]+={0,2}$/.test(value) || data.length !== 32) throw badRequest(`${field}: must be 32 bytes in base64`);
  return data;
}

function answer(data: Buffer, mimetype: string): DownloadAnswer {
  return { Data: `data:${mimetype};base64,${data.toString('base64')}`, Mimetype: mimetype, FileLength: data.length };
}

/** Downloads and decrypts media from the fields a Message event carries (`url`, `mediaKey`, …). */
export async function downloadMedia(kind: MediaKind, input: DownloadInput): Promise<DownloadAnswer> {
  for (const field of ['MediaKey', 'FileSHA256', 'Mimetype'] as const) {
    if (!input[field]) throw badRequest(`${field} is required`);
  }
  if (input.FileLength === undefined) throw badRequest('FileLength is required');
  if (!input.Url && !input.DirectPath) throw badRequest('Url is required');
  const ref: EncryptedMediaRef = {
    kind,
    url: input.Url || undefined,
    directPath: input.DirectPath || undefined,
    mediaKey: bytes32('MediaKey', input.MediaKey!),
    fileSha256: bytes32('FileSHA256', input.FileSHA256!),
    fileEncSha256: input.FileEncSHA256 ? bytes32('FileEncSHA256', input.FileEncSHA256) : undefined,
    fileLength: input.FileLength,
    mimetype: input.Mimetype!,
  };
  return answer(await downloadWhatsAppMedia(ref), ref.mimetype);
}

/** A stored message's content, unwrapped (view-once, ephemeral, …); undefined when there is none. */
function storedContent(content: unknown): proto.IMessage | undefined {
  if (!content || typeof content !== 'object') return undefined;
  return normalizeMessageContent(proto.Message.fromObject(content as Record<string, unknown>)) ?? undefined;
}

/**
 * `/message/downloadimage`: the image of a stored message named by `Id` (the keys come from the
 * message store), or, without Id, the same fields as `/message/download/image`.
 */
export async function downloadImage(sessionId: string, input: DownloadInput & { Id?: string }): Promise<DownloadAnswer> {
  if (!input.Id) return downloadMedia('image', input);
  const stored = await messageRepository.findWithHistory(sessionId, input.Id);
  if (!stored) throw notFound(`Id: no message ${input.Id} in the message store`);
  const ref = mediaRefOf('image', storedContent(stored.content)?.imageMessage, 'image/jpeg');
  if (!ref) throw badRequest(`Id: message ${input.Id} has no image`);
  return answer(await downloadWhatsAppMedia(ref), ref.mimetype);
}

const STORED_KINDS: Array<[keyof proto.IMessage, MediaKind]> = [
  ['imageMessage', 'image'],
  ['videoMessage', 'video'],
  ['audioMessage', 'audio'],
  ['documentMessage', 'document'],
  ['stickerMessage', 'sticker'],
];

/** The decrypted media of a stored message and how to serve it. */
export interface StoredMedia {
  data: Buffer;
  mimetype: string;
  kind: MediaKind;
  fileName: string | null;
}

/**
 * The media (image, video, audio, document, sticker) of a message in the message store, fetched
 * from WhatsApp's media host and decrypted with the keys the store kept (as `/message/downloadimage`
 * does for images). 404 when the message is not stored in that chat, 400 when it carries no media.
 */
export async function downloadStoredMedia(sessionId: string, chatJid: string, messageId: string): Promise<StoredMedia> {
  const stored = await inboxRepository.messageContent(sessionId, chatJid, messageId);
  if (!stored) throw notFound(`messageId: no message ${messageId} in this chat`);
  const content = storedContent(stored.content);
  for (const [field, kind] of STORED_KINDS) {
    const media = content?.[field] as proto.Message.IDocumentMessage | null | undefined;
    const ref = mediaRefOf(kind, media, 'application/octet-stream');
    if (!ref) continue;
    return { data: await downloadWhatsAppMedia(ref), mimetype: ref.mimetype, kind, fileName: media?.fileName ?? null };
  }
  throw badRequest(`messageId: message ${messageId} has no media`);
}
