import { fileTypeFromBuffer } from 'file-type';
import { badRequest } from '../../../http/errors';
import type { MediaKind } from './media-kinds';

export interface DetectedType {
  ext: string;
  mime: string;
}

/** The type the bytes really are (magic numbers), or undefined for unrecognised content (e.g. text). */
export async function detectType(data: Buffer): Promise<DetectedType | undefined> {
  const found = await fileTypeFromBuffer(data);
  return found ? { ext: found.ext, mime: found.mime } : undefined;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const VIDEO_TYPES = new Set(['video/mp4', 'video/3gpp']);
const STICKER_SOURCES = new Set(['image/webp', 'image/png', 'image/jpeg', 'image/gif']);

const WHAT: Record<MediaKind, string> = {
  image: 'a JPEG, PNG or WebP image',
  video: 'an MP4 or 3GP video',
  audio: 'an audio file',
  document: 'a file',
  sticker: 'a WebP, PNG, JPEG or GIF image',
};

function isAudio(type: DetectedType): boolean {
  // file-type names some audio containers video/* (e.g. Ogg without a known codec) or application/ogg.
  return type.mime.startsWith('audio/') || type.mime === 'application/ogg' || type.mime === 'video/ogg' || type.ext === 'm4a';
}

/**
 * The detected type, refused (400 naming the field) when the bytes are not what the field
 * must carry: an Image that is not an image, a Video that is not MP4, and so on. Documents
 * may be anything.
 */
export async function requireKind(field: string, data: Buffer, kind: MediaKind): Promise<DetectedType | undefined> {
  const type = await detectType(data);
  if (kind === 'document') return type;
  const got = type ? `got ${type.mime}` : 'the file type is not recognised';
  const accept =
    kind === 'image' ? type !== undefined && IMAGE_TYPES.has(type.mime)
    : kind === 'video' ? type !== undefined && VIDEO_TYPES.has(type.mime)
    : kind === 'sticker' ? type !== undefined && STICKER_SOURCES.has(type.mime)
    : type !== undefined && isAudio(type);
  if (!accept) throw badRequest(`${field}: must be ${WHAT[kind]}, ${got}`);
  return type;
}
