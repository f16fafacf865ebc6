import type { proto } from 'baileys';
import type { MediaKind } from './media-kinds';
import type { EncryptedMediaRef } from './wa-media-download';

/** The fields of a media message (image, video, audio, document, sticker) that locate and unlock its file. */
export type MediaProto = Pick<proto.Message.IDocumentMessage, 'url' | 'directPath' | 'mediaKey' | 'fileSha256' | 'fileEncSha256' | 'fileLength' | 'mimetype'>;

/**
 * The download reference of a stored media message, or undefined when it lacks what a download
 * needs: the media key, the file hash, and a URL or a direct path. Without a mimetype, `fallbackMime`.
 */
export function mediaRefOf(kind: MediaKind, media: MediaProto | null | undefined, fallbackMime: string): EncryptedMediaRef | undefined {
  if (!media?.mediaKey || !media.fileSha256 || (!media.url && !media.directPath)) return undefined;
  return {
    kind,
    url: media.url || undefined,
    directPath: media.directPath || undefined,
    mediaKey: Buffer.from(media.mediaKey),
    fileSha256: Buffer.from(media.fileSha256),
    fileEncSha256: media.fileEncSha256 ? Buffer.from(media.fileEncSha256) : undefined,
    fileLength: Number(media.fileLength ?? 0),
    mimetype: media.mimetype ?? fallbackMime,
  };
}
