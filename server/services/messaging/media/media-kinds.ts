/** The media kinds WaGo sends, and WhatsApp's limits for each. */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'document', 'sticker'];

const MB = 1024 * 1024;

/**
 * Largest source file WhatsApp accepts per kind (the smaller of this and WAGO_MEDIA_MAX_BYTES
 * applies). Stickers are converted, so their source may be larger than the sent sticker.
 */
export const KIND_MAX_BYTES: Record<MediaKind, number> = {
  image: 16 * MB,
  video: 64 * MB,
  audio: 16 * MB,
  document: 2048 * MB,
  sticker: 8 * MB,
};

/** "70 MB", "512 KB", "300 bytes": sizes in error messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) {
    const mb = bytes / MB;
    return `${Number(mb.toFixed(1))} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The byte limit for a kind under the configured maximum. */
export function maxBytesFor(kind: MediaKind, configuredMax: number): number {
  return Math.min(KIND_MAX_BYTES[kind], configuredMax);
}
