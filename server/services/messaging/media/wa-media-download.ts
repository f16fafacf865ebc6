import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getMediaKeys } from 'baileys';
import { ApiError, badRequest } from '../../../http/errors';
import { getRuntime } from '../../../runtime/registry';
import type { Config } from '../../../config';
import { formatBytes, type MediaKind } from './media-kinds';
import { FetchRefused, parseHttpUrl, safeFetch } from './safe-fetch';

/** What identifies one encrypted WhatsApp media file. */
export interface EncryptedMediaRef {
  kind: MediaKind;
  url?: string;
  directPath?: string;
  mediaKey: Buffer;
  fileSha256: Buffer;
  fileEncSha256?: Buffer;
  fileLength: number;
  mimetype: string;
}

const DEFAULT_MEDIA_HOST = 'mmg.whatsapp.net';
const MAC_LENGTH = 10;
const unprocessable = (message: string) => new ApiError(422, message);

/**
 * Hosts WaGo trusts for WhatsApp media whatever their address: WhatsApp's (`*.whatsapp.net`)
 * and the configured WhatsApp server's (WAGO_WA_WS_URL, e.g. an emulator on loopback).
 */
export function isWhatsAppMediaHost(url: URL, config: Config): boolean {
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && (host === 'whatsapp.net' || host.endsWith('.whatsapp.net'))) return true;
  if (!config.WAGO_WA_WS_URL) return false;
  return new URL(config.WAGO_WA_WS_URL).host.toLowerCase() === url.host.toLowerCase();
}

let caCache: { source: string; pem: string } | undefined;
function mediaCa(config: Config): string | undefined {
  const source = config.WAGO_WA_MEDIA_CA;
  if (!source) return undefined;
  if (caCache?.source !== source) caCache = { source, pem: source.includes('-----BEGIN') ? source : readFileSync(source, 'utf8') };
  return caCache.pem;
}

/** The address to download from: DirectPath on the Url's host when that is a media host (else WhatsApp's), or the Url. */
export function downloadUrl(ref: Pick<EncryptedMediaRef, 'url' | 'directPath'>, config: Config): URL {
  let given: URL | undefined;
  if (ref.url) {
    try {
      given = parseHttpUrl(ref.url);
    } catch (error) {
      if (!ref.directPath) throw badRequest(`Url: ${(error as Error).message}`);
    }
  }
  if (ref.directPath) {
    if (!ref.directPath.startsWith('/') || ref.directPath.startsWith('//')) throw badRequest('DirectPath: must be a path starting with /');
    const host = given && isWhatsAppMediaHost(given, config) ? given.host : DEFAULT_MEDIA_HOST;
    return new URL(`https://${host}${ref.directPath}`);
  }
  if (!given) throw badRequest('Url is required');
  return given;
}

/** Expected size of the encrypted file: AES-CBC with PKCS#7 padding, then a 10-byte MAC. */
function encryptedSize(fileLength: number): number {
  return (Math.floor(fileLength / 16) + 1) * 16 + MAC_LENGTH;
}

/**
 * Downloads, verifies and decrypts WhatsApp media: FileEncSHA256 (when given) over the encrypted
 * file, the MAC, then FileSHA256 and FileLength over the plaintext. A mismatch answers 422.
 */
export async function downloadWhatsAppMedia(ref: EncryptedMediaRef): Promise<Buffer> {
  const { config } = getRuntime();
  if (ref.fileLength > config.WAGO_MEDIA_MAX_BYTES) {
    throw badRequest(`FileLength: file is ${formatBytes(ref.fileLength)}, larger than ${formatBytes(config.WAGO_MEDIA_MAX_BYTES)}`);
  }
  const url = downloadUrl(ref, config);
  let body: Buffer;
  try {
    const fetched = await safeFetch(url.toString(), {
      allowPrivate: config.WAGO_MEDIA_ALLOW_PRIVATE_URLS,
      trustedHost: (u) => isWhatsAppMediaHost(u, config),
      maxBytes: encryptedSize(ref.fileLength) + 1024,
      extraCa: mediaCa(config),
      headers: { origin: 'https://web.whatsapp.com' },
    });
    body = fetched.data;
  } catch (error) {
    if (error instanceof FetchRefused) {
      const field = ref.directPath ? 'DirectPath' : 'Url';
      throw error.kind === 'failed' ? unprocessable(`${field}: ${error.message}`) : badRequest(`${field}: ${error.message}`);
    }
    throw error;
  }
  return decryptVerified(body, ref);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies and decrypts an encrypted media body (ciphertext + 10-byte MAC). */
export async function decryptVerified(body: Buffer, ref: EncryptedMediaRef): Promise<Buffer> {
  if (ref.fileEncSha256 && !sameBytes(createHash('sha256').update(body).digest(), ref.fileEncSha256)) {
    throw unprocessable('FileEncSHA256: does not match the downloaded file');
  }
  if (body.length < MAC_LENGTH + 16 || (body.length - MAC_LENGTH) % 16 !== 0) throw unprocessable('the downloaded file is not WhatsApp-encrypted media');
  const { iv, cipherKey, macKey } = await getMediaKeys(ref.mediaKey, ref.kind);
  if (!macKey) throw new Error(`no MAC key derived for ${ref.kind}`);
  const enc = body.subarray(0, body.length - MAC_LENGTH);
  const mac = createHmac('sha256', macKey).update(iv).update(enc).digest().subarray(0, MAC_LENGTH);
  if (!sameBytes(mac, body.subarray(body.length - MAC_LENGTH))) throw unprocessable('MediaKey: does not decrypt this media (MAC mismatch)');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
    plain = Buffer.concat([decipher.update(enc), decipher.final()]);
  } catch (error) {
    throw unprocessable(`MediaKey: decryption failed (${(error as Error).message})`);
  }
  if (!sameBytes(createHash('sha256').update(plain).digest(), ref.fileSha256)) throw unprocessable('FileSHA256: does not match the decrypted media');
  if (plain.length !== ref.fileLength) throw unprocessable(`FileLength: the media has ${plain.length} bytes, not ${ref.fileLength}`);
  return plain;
}
