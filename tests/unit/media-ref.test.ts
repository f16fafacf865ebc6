import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import { mediaRefOf } from '../../server/services/messaging/media/media-ref';
import { decryptVerified } from '../../server/services/messaging/media/wa-media-download';
import { encryptMedia } from '../../emulator/media/store';

const b64 = (data: Buffer) => data.toString('base64');

test('mediaRefOf: the keys of a stored media message (as the message store keeps it) decrypt its file', async () => {
  const plain = Buffer.from('a stored document, longer than one AES block');
  const enc = await encryptMedia(plain, 'document');
  // The store keeps JSON: bytes as base64, 64-bit numbers as strings; fromObject makes them Uint8Array and Long.
  const message = proto.Message.fromObject({
    documentMessage: {
      url: 'https://mmg.whatsapp.net/v/t62.7119-24/doc.enc',
      directPath: '/v/t62.7119-24/doc.enc',
      mediaKey: b64(enc.mediaKey),
      fileSha256: b64(enc.fileSha256),
      fileEncSha256: b64(enc.fileEncSha256),
      fileLength: String(enc.fileLength),
      mimetype: 'application/pdf',
      fileName: 'a.pdf',
    },
  });
  const ref = mediaRefOf('document', message.documentMessage, 'application/octet-stream');
  assert.ok(ref);
  assert.deepEqual(
    { ...ref, mediaKey: b64(ref.mediaKey), fileSha256: b64(ref.fileSha256), fileEncSha256: ref.fileEncSha256 && b64(ref.fileEncSha256) },
    {
      kind: 'document',
      url: 'https://mmg.whatsapp.net/v/t62.7119-24/doc.enc',
      directPath: '/v/t62.7119-24/doc.enc',
      mediaKey: b64(enc.mediaKey),
      fileSha256: b64(enc.fileSha256),
      fileEncSha256: b64(enc.fileEncSha256),
      fileLength: plain.length,
      mimetype: 'application/pdf',
    },
  );
  assert.ok(Buffer.isBuffer(ref.mediaKey) && Buffer.isBuffer(ref.fileSha256) && Buffer.isBuffer(ref.fileEncSha256), 'bytes as Buffers');
  assert.ok((await decryptVerified(enc.body, ref)).equals(plain), 'the reference decrypts the file');
});

test('mediaRefOf: the fallback mimetype, optional fields, and undefined when a download key is missing', () => {
  const key = new Uint8Array(32).fill(1);
  const hash = new Uint8Array(32).fill(2);
  const image: proto.Message.IImageMessage = { directPath: '/v/t62.7118-24/img.enc', mediaKey: key, fileSha256: hash };
  assert.deepEqual(mediaRefOf('image', image, 'image/jpeg'), {
    kind: 'image',
    url: undefined,
    directPath: '/v/t62.7118-24/img.enc',
    mediaKey: Buffer.from(key),
    fileSha256: Buffer.from(hash),
    fileEncSha256: undefined,
    fileLength: 0,
    mimetype: 'image/jpeg',
  });
  const byUrl = mediaRefOf('audio', { url: 'https://mmg.whatsapp.net/a.enc', mediaKey: key, fileSha256: hash, mimetype: 'audio/ogg; codecs=opus' }, 'application/octet-stream');
  assert.deepEqual([byUrl?.url, byUrl?.directPath, byUrl?.mimetype], ['https://mmg.whatsapp.net/a.enc', undefined, 'audio/ogg; codecs=opus']);
  assert.equal(mediaRefOf('image', { ...image, mediaKey: null }, 'image/jpeg'), undefined, 'no media key');
  assert.equal(mediaRefOf('image', { ...image, fileSha256: undefined }, 'image/jpeg'), undefined, 'no file hash');
  assert.equal(mediaRefOf('image', { ...image, directPath: null, url: '' }, 'image/jpeg'), undefined, 'nowhere to download from');
  assert.equal(mediaRefOf('image', undefined, 'image/jpeg'), undefined, 'no media at all');
  assert.equal(mediaRefOf('image', null, 'image/jpeg'), undefined);
});
