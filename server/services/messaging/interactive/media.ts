import { prepareWAMessageMedia, type WASocket, type proto } from 'baileys';
import { badRequest } from '../../../http/errors';
import { getRuntime } from '../../../runtime/registry';

/**
 * Header media of interactive messages. Accepted as base64 data URLs only for now (the media
 * input helpers of /send/image & co. may later add URLs); the bytes are encrypted and uploaded
 * like any WhatsApp media and the resulting `imageMessage`/`videoMessage`/`documentMessage`
 * becomes the header (or card header) of the interactive message.
 */
export interface DecodedMedia {
  mimetype: string;
  bytes: Buffer;
}

export type HeaderKind = 'image' | 'video' | 'document';
export type HeaderMedia = Pick<proto.Message.InteractiveMessage.IHeader, 'imageMessage' | 'videoMessage' | 'documentMessage'>;

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)((?:;[\w=.+-]+)*);base64,(.*)$/s;

/** Decodes a (schema-checked) data URL; 400 naming the field when it holds no bytes. */
export function decodeDataUrl(value: string, field: string): DecodedMedia {
  const match = DATA_URL.exec(value);
  if (!match) throw badRequest(`${field}: must be a base64 data URL (data:<mime>;base64,…)`);
  const bytes = Buffer.from(match[3].replace(/\s/g, ''), 'base64');
  if (bytes.length === 0) throw badRequest(`${field}: holds no bytes`);
  return { mimetype: match[1].toLowerCase(), bytes };
}

/** The header kind the MIME type allows (400 naming the field when it does not fit `kind`). */
export function checkKind(media: DecodedMedia, kind: HeaderKind, field: string): void {
  if (kind === 'document') return;
  if (!media.mimetype.startsWith(`${kind}/`)) throw badRequest(`${field}: is ${media.mimetype}, not ${kind === 'image' ? 'an image' : 'a video'}`);
}

/** Encrypts and uploads the bytes; answers the header's media message. */
export async function uploadHeaderMedia(sock: WASocket, kind: HeaderKind, media: DecodedMedia, fileName?: string): Promise<HeaderMedia> {
  const options = {
    upload: sock.waUploadToServer,
    logger: getRuntime().logger as unknown as NonNullable<Parameters<typeof prepareWAMessageMedia>[1]['logger']>,
  };
  if (kind === 'image') {
    const { imageMessage } = await prepareWAMessageMedia({ image: media.bytes, mimetype: media.mimetype }, options);
    return { imageMessage };
  }
  if (kind === 'video') {
    const { videoMessage } = await prepareWAMessageMedia({ video: media.bytes, mimetype: media.mimetype }, options);
    return { videoMessage };
  }
  const { documentMessage } = await prepareWAMessageMedia({ document: media.bytes, mimetype: media.mimetype, fileName: fileName ?? 'file' }, options);
  return { documentMessage };
}
