import { prepareWAMessageMedia, type WASocket, type proto } from 'baileys';
import { prepareDocument, prepareImage, prepareImageOrVideo, prepareVideo } from '../media/prepare-media';
import { getRuntime } from '../../../runtime/registry';

/**
 * Header media of interactive messages, taken like the media of /send/image & co.: a base64
 * data URL, plain base64 or an http(s) URL (downloaded under the SSRF rules and size limits),
 * typed from the bytes themselves. The bytes are encrypted and uploaded like any WhatsApp media
 * and the resulting `imageMessage`/`videoMessage`/`documentMessage` becomes the header (or card
 * header) of the interactive message.
 */
export interface DecodedMedia {
  mimetype: string;
  bytes: Buffer;
  /** File name taken from a URL's path, if any. */
  fileName?: string;
}

export type HeaderKind = 'image' | 'video' | 'document';
export type HeaderMedia = Pick<proto.Message.InteractiveMessage.IHeader, 'imageMessage' | 'videoMessage' | 'documentMessage'>;

/** Reads a header media field as `kind` (400 naming the field when it is not that kind). */
export async function readHeaderMedia(field: string, value: string, kind: HeaderKind, fileName?: string): Promise<DecodedMedia> {
  const prepared =
    kind === 'image' ? await prepareImage(field, value) : kind === 'video' ? await prepareVideo(field, value) : await prepareDocument(field, value, { fileName: fileName ?? 'file' });
  return { mimetype: prepared.mimetype, bytes: prepared.data, fileName: fileName ?? prepared.urlFileName };
}

/** Reads the media of carousel cards: all images, or all videos (the first card decides). */
export async function readCardMedia(values: Array<{ field: string; value: string }>): Promise<{ kind: HeaderKind; media: DecodedMedia[] }> {
  const [first, ...rest] = values;
  if (!first) return { kind: 'image', media: [] };
  const head = await prepareImageOrVideo(first.field, first.value);
  const media: DecodedMedia[] = [{ mimetype: head.mimetype, bytes: head.data }];
  for (const { field, value } of rest) media.push(await readHeaderMedia(field, value, head.kind));
  return { kind: head.kind, media };
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
  const { documentMessage } = await prepareWAMessageMedia({ document: media.bytes, mimetype: media.mimetype, fileName: fileName ?? media.fileName ?? 'file' }, options);
  return { documentMessage };
}
