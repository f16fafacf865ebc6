import { badRequest } from '../../../http/errors';
import { getRuntime } from '../../../runtime/registry';
import { formatBytes, maxBytesFor, type MediaKind } from './media-kinds';
import { FetchRefused, safeFetch } from './safe-fetch';

/** Raw bytes of a media field, before type checks. */
export interface MediaBytes {
  data: Buffer;
  /** The mimetype the caller or server declared (data URL or Content-Type), if any. */
  declaredMime?: string;
  /** File name taken from the URL path, if any. */
  urlFileName?: string;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,=]+=[^;,]*)*)(;base64)?,/i;
const BASE64 = /^[A-Za-z0-9+/\-_]+={0,2}$/;

/** Decoded length of a base64 text without decoding it. */
function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function decodeBase64(field: string, text: string, limit: number, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!compact || !BASE64.test(compact) || compact.length % 4 === 1) throw badRequest(`${field}: not a valid ${what}`);
  const size = base64Length(compact);
  if (size > limit) throw badRequest(`${field}: file is ${formatBytes(size)}, larger than ${formatBytes(limit)}`);
  const data = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  if (!data.length) throw badRequest(`${field}: file is empty`);
  return data;
}

/** Decodes a `data:<mime>;base64,...` URL. */
export function decodeDataUrl(field: string, value: string, limit: number): MediaBytes {
  const match = DATA_URL.exec(value);
  if (!match || !match[3]) throw badRequest(`${field}: not a valid base64 data URL`);
  const data = decodeBase64(field, value.slice(match[0].length), limit, 'base64 data URL');
  const declaredMime = match[1] ? `${match[1].toLowerCase()}${match[2] ?? ''}` : undefined;
  return { data, declaredMime };
}

function fileNameOf(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/** Downloads an http(s) media URL under the SSRF rules, the size cap and a deadline. */
export async function fetchMediaUrl(field: string, url: string, limit: number): Promise<MediaBytes> {
  const { config } = getRuntime();
  try {
    const fetched = await safeFetch(url, { allowPrivate: config.WAGO_MEDIA_ALLOW_PRIVATE_URLS, maxBytes: limit });
    if (!fetched.data.length) throw badRequest(`${field}: the URL answered an empty file`);
    return { data: fetched.data, declaredMime: fetched.contentType?.split(';')[0]?.trim().toLowerCase(), urlFileName: fileNameOf(fetched.finalUrl) };
  } catch (error) {
    if (error instanceof FetchRefused) throw badRequest(`${field}: ${error.message}`);
    throw error;
  }
}

/**
 * The bytes of a media field: a base64 data URL, plain base64, or an http(s) URL (downloaded).
 * Sizes are checked against WAGO_MEDIA_MAX_BYTES and the kind's WhatsApp limit before decoding.
 */
export async function readMediaField(field: string, value: string, kind: MediaKind): Promise<MediaBytes> {
  const limit = maxBytesFor(kind, getRuntime().config.WAGO_MEDIA_MAX_BYTES);
  const trimmed = value.trim();
  if (/^data:/i.test(trimmed)) return decodeDataUrl(field, trimmed, limit);
  if (/^https?:\/\//i.test(trimmed)) return fetchMediaUrl(field, trimmed, limit);
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !BASE64.test(trimmed)) throw badRequest(`${field}: must be a base64 data URL, base64 or an http(s) URL`);
  return { data: decodeBase64(field, trimmed, limit, 'base64 data URL or base64 text') };
}
