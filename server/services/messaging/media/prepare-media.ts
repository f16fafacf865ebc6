import { badRequest } from '../../../http/errors';
import { getRuntime } from '../../../runtime/registry';
import { detectType, requireKind } from './detect-type';
import { durationSeconds, OPUS_MIME, toOggOpus, videoThumbnail, voiceWaveform } from './ffmpeg-tools';
import { readMediaField, decodeDataUrl } from './media-source';
import { formatBytes, maxBytesFor } from './media-kinds';
import { toWebpSticker, imageSize } from './sticker-convert';

/** Media bytes ready for Baileys: checked, converted when needed, with the mimetype to announce. */
export interface PreparedMedia {
  data: Buffer;
  mimetype: string;
  /** File extension of the detected type, when known. */
  ext?: string;
  urlFileName?: string;
}

const log = () => getRuntime().logger.child({ component: 'media' });

export async function prepareImage(field: string, value: string): Promise<PreparedMedia> {
  const source = await readMediaField(field, value, 'image');
  const type = await requireKind(field, source.data, 'image');
  return { data: source.data, mimetype: type!.mime, ext: type!.ext };
}

export async function prepareVideo(field: string, value: string): Promise<PreparedMedia> {
  const source = await readMediaField(field, value, 'video');
  const type = await requireKind(field, source.data, 'video');
  return { data: source.data, mimetype: type!.mime, ext: type!.ext };
}

/** An image or a video, whichever the bytes are (carousel cards take either): read once, with that kind's limit. */
export async function prepareImageOrVideo(field: string, value: string): Promise<PreparedMedia & { kind: 'image' | 'video' }> {
  const source = await readMediaField(field, value, 'video'); // the larger limit of the two
  const kind = (await detectType(source.data))?.mime.startsWith('video/') ? 'video' : 'image';
  const limit = maxBytesFor(kind, getRuntime().config.WAGO_MEDIA_MAX_BYTES);
  if (source.data.length > limit) throw badRequest(`${field}: file is ${formatBytes(source.data.length)}, larger than ${formatBytes(limit)}`);
  const type = await requireKind(field, source.data, kind);
  return { kind, data: source.data, mimetype: type!.mime, ext: type!.ext };
}

/** Audio WhatsApp plays as is; anything else is converted to Ogg/Opus. */
const PLAYABLE_AUDIO = new Set(['audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/aac', 'audio/amr', OPUS_MIME]);

export interface PreparedAudio extends PreparedMedia {
  seconds?: number;
  /** Voice notes: 64 loudness bars (0–100). */
  waveform?: Uint8Array;
}

/** Voice notes (`ptt`) must be Ogg/Opus: other audio is converted (48 kHz mono). */
export async function prepareAudio(field: string, value: string, opts: { ptt: boolean; seconds?: number }): Promise<PreparedAudio> {
  const source = await readMediaField(field, value, 'audio');
  const type = (await requireKind(field, source.data, 'audio'))!;
  let data = source.data;
  let mimetype = type.mime;
  const convert = opts.ptt ? type.mime !== OPUS_MIME : !PLAYABLE_AUDIO.has(type.mime);
  if (convert) {
    try {
      data = await toOggOpus(source.data, type.ext);
    } catch (error) {
      log().info({ err: error }, 'audio conversion failed');
      throw badRequest(`${field}: could not convert the ${type.mime} audio to Ogg/Opus`);
    }
    mimetype = OPUS_MIME;
  }
  let seconds = opts.seconds;
  if (seconds === undefined) {
    seconds = await durationSeconds(data, convert ? 'ogg' : type.ext).catch((error: unknown) => {
      log().warn({ err: error }, 'could not measure the audio duration');
      return undefined;
    });
  }
  const waveform = opts.ptt
    ? await voiceWaveform(data, 'ogg').catch((error: unknown) => {
        log().warn({ err: error }, 'could not compute the voice note waveform');
        return undefined;
      })
    : undefined;
  return { data, mimetype, seconds, waveform };
}

const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  md: 'text/markdown',
  ics: 'text/calendar',
  vcf: 'text/vcard',
};

/** Documents may be any file; the mimetype is the caller's, else the detected one, else guessed. */
export async function prepareDocument(field: string, value: string, opts: { fileName: string; mimetype?: string }): Promise<PreparedMedia> {
  const source = await readMediaField(field, value, 'document');
  if (opts.mimetype) return { data: source.data, mimetype: opts.mimetype, urlFileName: source.urlFileName };
  const type = await requireKind(field, source.data, 'document');
  const ext = opts.fileName.split('.').pop()?.toLowerCase() ?? '';
  const mimetype = type?.mime ?? (source.declaredMime && source.declaredMime !== 'application/octet-stream' ? source.declaredMime : undefined) ?? TEXT_TYPES[ext] ?? 'application/octet-stream';
  return { data: source.data, mimetype, urlFileName: source.urlFileName };
}

export interface PreparedSticker extends PreparedMedia {
  isAnimated: boolean;
  width?: number;
  height?: number;
}

/** WebP stickers are sent as they are; PNG/JPEG/GIF are converted to a 512×512 WebP. */
export async function prepareSticker(field: string, value: string): Promise<PreparedSticker> {
  const source = await readMediaField(field, value, 'sticker');
  const type = (await requireKind(field, source.data, 'sticker'))!;
  let data = source.data;
  if (type.mime !== 'image/webp') {
    try {
      data = await toWebpSticker(source.data);
    } catch (error) {
      log().info({ err: error }, 'sticker conversion failed');
      throw badRequest(`${field}: could not convert the ${type.mime} image to a WebP sticker`);
    }
  }
  const isAnimated = data.includes('ANIM', 12, 'latin1') && data.subarray(0, 4).toString('latin1') === 'RIFF';
  const size = await imageSize(data).catch((error: unknown) => {
    log().warn({ err: error }, 'could not read the sticker size');
    return {};
  });
  return { data, mimetype: 'image/webp', isAnimated, ...size };
}

/**
 * A small thumbnail field (`JpegThumbnail`, `PngThumbnail`): base64 or a base64 data URL of the
 * given image type, at most 256 KB. Answers base64 text for Baileys.
 */
export async function thumbnailField(field: string, value: string, mime: 'image/jpeg' | 'image/png'): Promise<string> {
  const trimmed = value.trim();
  const limit = 256 * 1024;
  const data = /^data:/i.test(trimmed) ? decodeDataUrl(field, trimmed, limit).data : decodeDataUrl(field, `data:${mime};base64,${trimmed}`, limit).data;
  const type = await detectType(data);
  if (type?.mime !== mime) throw badRequest(`${field}: must be a base64 ${mime === 'image/jpeg' ? 'JPEG' : 'PNG'} image, got ${type?.mime ?? 'an unrecognised file'}`);
  return data.toString('base64');
}

/** A first-frame thumbnail of a video, or undefined (logged) when ffmpeg cannot make one. */
export async function generatedVideoThumbnail(video: Buffer, ext: string): Promise<string | undefined> {
  try {
    return (await videoThumbnail(video, ext)).toString('base64');
  } catch (error) {
    log().warn({ err: error }, 'could not make a video thumbnail');
    return undefined;
  }
}
