import { prepareWAMessageMedia, type WASocket, type WAUrlInfo, type proto } from 'baileys';
import { badRequest } from '../../../http/errors';
import { getRuntime } from '../../../runtime/registry';

/** Width of the inline JPEG thumbnail of a link preview (what WhatsApp clients send). */
export const THUMBNAIL_WIDTH = 192;

/** Bytes of a base64 field given as a data URL or bare base64. */
export function base64Field(value: string): Buffer {
  const comma = value.startsWith('data:') ? value.indexOf(',') : -1;
  return Buffer.from(value.slice(comma + 1).replace(/\s/g, ''), 'base64');
}

/** A JPEG thumbnail of the image (400 naming the field when it is not a readable image). */
export async function jpegThumbnail(bytes: Buffer, field: string): Promise<{ thumbnail: Buffer; jpeg: Buffer }> {
  try {
    // sharp (libvips) loads with the first preview image.
    const { default: sharp } = await import('sharp');
    const image = sharp(bytes, { failOn: 'error' });
    const jpeg = await image.clone().jpeg({ quality: 80 }).toBuffer();
    const thumbnail = await image.resize(THUMBNAIL_WIDTH).jpeg({ quality: 60 }).toBuffer();
    return { thumbnail, jpeg };
  } catch (error: unknown) {
    getRuntime().logger.debug({ err: error, field }, 'unreadable preview image');
    throw badRequest(`${field}: is not a readable image (JPEG, PNG or WebP)`);
  }
}

/** The text with the matched URL in it (appended on a new line when absent). */
export function textWithUrl(text: string, url: string): string {
  return text.includes(url) ? text : `${text}\n${url}`;
}

/**
 * Baileys' link-preview description (`WAUrlInfo`) → `extendedTextMessage` {text, matchedText,
 * title, description, jpegThumbnail, previewType} and, with `highQualityThumbnail`, the uploaded
 * full image (thumbnailDirectPath, mediaKey, thumbnailSha256 …: the large preview).
 */
export function urlInfo(url: string, title: string, description: string, thumbnail: Buffer, hq?: proto.Message.IImageMessage): WAUrlInfo {
  return { 'canonical-url': url, 'matched-text': url, title, description, jpegThumbnail: thumbnail, ...(hq ? { highQualityThumbnail: hq } : {}) };
}

/** Uploads the preview image as a `thumbnail-link` (what /send/preview2 adds over /send/preview). */
export async function uploadPreviewImage(sock: WASocket, jpeg: Buffer): Promise<proto.Message.IImageMessage> {
  const { imageMessage } = await prepareWAMessageMedia(
    { image: jpeg, mimetype: 'image/jpeg' },
    {
      upload: sock.waUploadToServer,
      mediaTypeOverride: 'thumbnail-link',
      logger: getRuntime().logger as unknown as NonNullable<Parameters<typeof prepareWAMessageMedia>[1]['logger']>,
    },
  );
  if (!imageMessage) throw new Error('preview image upload produced no image');
  return imageMessage;
}
