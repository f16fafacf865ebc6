import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ApiError } from '../../server/http/errors';
import { decodeDataUrl } from '../../server/services/messaging/media/media-source';
import { requireKind } from '../../server/services/messaging/media/detect-type';
import { formatBytes, maxBytesFor } from '../../server/services/messaging/media/media-kinds';
import { decryptVerified, downloadUrl, type EncryptedMediaRef } from '../../server/services/messaging/media/wa-media-download';
import { toWebpSticker } from '../../server/services/messaging/media/sticker-convert';
import { encryptMedia } from '../../emulator/media/store';
import { loadConfig } from '../../server/config';
import { pdf, png } from '../fixtures/media/generate';

async function apiError(promise: Promise<unknown> | (() => unknown), status: number, message: RegExp): Promise<void> {
  const run = typeof promise === 'function' ? async () => promise() : () => promise;
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, message);
    return true;
  });
}

test('formatBytes and per-kind limits', () => {
  assert.equal(formatBytes(70 * 1024 * 1024), '70 MB');
  assert.equal(formatBytes(1.5 * 1024 * 1024), '1.5 MB');
  assert.equal(formatBytes(2048), '2 KB');
  assert.equal(formatBytes(12), '12 bytes');
  assert.equal(maxBytesFor('image', 64 << 20), 16 << 20);
  assert.equal(maxBytesFor('document', 64 << 20), 64 << 20);
});

test('decodeDataUrl: decodes base64 data URLs and refuses anything else, naming the field', async () => {
  const decoded = decodeDataUrl('Image', 'data:image/png;base64,aGVsbG8=', 100);
  assert.equal(decoded.data.toString(), 'hello');
  assert.equal(decoded.declaredMime, 'image/png');
  assert.equal(decodeDataUrl('Audio', 'data:audio/ogg;codecs=opus;base64,aGk=', 100).declaredMime, 'audio/ogg;codecs=opus');
  await apiError(() => decodeDataUrl('Image', 'data:image/png,hello', 100), 400, /^Image: not a valid base64 data URL$/);
  await apiError(() => decodeDataUrl('Image', 'data:image/png;base64,***', 100), 400, /^Image: not a valid base64 data URL$/);
  await apiError(() => decodeDataUrl('Image', 'data:image/png;base64,', 100), 400, /^Image: not a valid base64 data URL$/);
  await apiError(() => decodeDataUrl('Image', `data:image/png;base64,${Buffer.alloc(3000).toString('base64')}`, 2048), 400, /^Image: file is 3 KB, larger than 2 KB$/);
});

test('requireKind: the bytes decide; mismatches are refused naming the field', async () => {
  assert.equal((await requireKind('Image', await png(), 'image'))?.mime, 'image/png');
  await apiError(requireKind('Image', pdf(), 'image'), 400, /^Image: must be a JPEG, PNG or WebP image, got application\/pdf$/);
  await apiError(requireKind('Audio', await png(), 'audio'), 400, /^Audio: must be an audio file, got image\/png$/);
  await apiError(requireKind('Video', Buffer.from('plain text'), 'video'), 400, /^Video: must be an MP4 or 3GP video, the file type is not recognised$/);
  assert.equal(await requireKind('Document', Buffer.from('plain text'), 'document'), undefined, 'documents may be anything');
});

test('stickers are converted to 512×512 WebP keeping transparency', async () => {
  const webp = await toWebpSticker(await png(200, 100));
  const meta = await sharp(webp).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['webp', 512, 512, true]);
});

test('decryptVerified: decrypts WhatsApp media and checks FileEncSHA256, MAC, FileSHA256 and FileLength', async () => {
  const plain = Buffer.from('some media bytes, more than one AES block long');
  const enc = await encryptMedia(plain, 'image');
  const ref: EncryptedMediaRef = { kind: 'image', mediaKey: enc.mediaKey, fileSha256: enc.fileSha256, fileEncSha256: enc.fileEncSha256, fileLength: enc.fileLength, mimetype: 'image/png' };
  assert.ok((await decryptVerified(enc.body, ref)).equals(plain), 'same bytes');
  assert.ok((await decryptVerified(enc.body, { ...ref, fileEncSha256: undefined })).equals(plain), 'FileEncSHA256 is optional');
  const tampered = Buffer.from(enc.body);
  tampered[0] ^= 1;
  await apiError(decryptVerified(tampered, ref), 422, /^FileEncSHA256: does not match/);
  await apiError(decryptVerified(tampered, { ...ref, fileEncSha256: undefined }), 422, /^MediaKey: does not decrypt this media \(MAC mismatch\)$/);
  await apiError(decryptVerified(enc.body, { ...ref, kind: 'video' }), 422, /MAC mismatch/);
  await apiError(decryptVerified(enc.body, { ...ref, fileSha256: Buffer.alloc(32) }), 422, /^FileSHA256: does not match the decrypted media$/);
  await apiError(decryptVerified(enc.body, { ...ref, fileLength: 3 }), 422, /^FileLength: the media has \d+ bytes, not 3$/);
  await apiError(decryptVerified(Buffer.alloc(5), { ...ref, fileEncSha256: undefined }), 422, /not WhatsApp-encrypted media/);
});

test('downloadUrl: DirectPath goes to the Url host only when that is a WhatsApp media host', () => {
  const config = loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/x', WAGO_WA_WS_URL: 'ws://127.0.0.1:4040/ws/chat' });
  assert.equal(downloadUrl({ url: 'https://mmg.whatsapp.net/v/t62.7118-24/a.enc?x=1', directPath: '/v/t62.7118-24/a.enc?ccb=1' }, config).toString(), 'https://mmg.whatsapp.net/v/t62.7118-24/a.enc?ccb=1');
  assert.equal(downloadUrl({ url: 'https://media-x.cdn.whatsapp.net/v/a.enc', directPath: '/v/b' }, config).host, 'media-x.cdn.whatsapp.net');
  assert.equal(downloadUrl({ url: 'https://127.0.0.1:4040/v/a.enc', directPath: '/v/b' }, config).toString(), 'https://127.0.0.1:4040/v/b', 'the configured WhatsApp server');
  assert.equal(downloadUrl({ url: 'https://evil.example/v/a.enc', directPath: '/v/b' }, config).host, 'mmg.whatsapp.net', 'other hosts are not used with DirectPath');
  assert.equal(downloadUrl({ url: 'http://example.org/a.enc' }, config).toString(), 'http://example.org/a.enc');
  assert.throws(() => downloadUrl({ url: 'x', directPath: '//evil.example/x' }, config), /DirectPath: must be a path/);
});
