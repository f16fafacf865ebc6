import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, ALICE, OWNER_PHONE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';
import { dataUrl, jpeg, mp4, oggOpus, pdf, png, webp } from '../fixtures/media/generate';
import type { WagoEvent } from '../../server/events/types';
import { downloadStoredMedia } from '../../server/services/message-download.service';
import { messageRepository } from '../../server/repositories/message.repository';
import { ApiError } from '../../server/http/errors';

let env: EmulatedWago;
let token: string;
let events: Awaited<ReturnType<typeof listen>>;

interface MediaFields {
  url?: string;
  directPath?: string;
  mediaKey: string;
  mimetype: string;
  fileEncSha256?: string;
  fileSha256: string;
  fileLength: number;
}
interface DownloadAnswer {
  Data: string;
  Mimetype: string;
  FileLength: number;
}

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'download');
  events = await listen(env.wago.url, token);
});
after(async () => {
  events?.socket.close();
  await env?.stop();
});

/** Alice sends media; answers the media fields of the Message event WaGo emitted for it. */
async function receive(kind: 'image' | 'video' | 'audio' | 'document' | 'sticker', data: Buffer, mimetype: string, extra: Record<string, string> = {}): Promise<{ id: string; fields: MediaFields; media: Record<string, unknown> }> {
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, media: { kind, data, mimetype, ...extra } });
  const event = await events.next('Message', (e: WagoEvent) => (e.data as { id?: string }).id === sent.id);
  const message = (event.data as { message: Record<string, MediaFields> }).message;
  return { id: sent.id, fields: message[`${kind}Message`], media: (event.data as { media: Record<string, unknown> }).media };
}

const body = (f: MediaFields) => ({
  Url: f.url,
  ...(f.directPath ? { DirectPath: f.directPath } : {}),
  MediaKey: f.mediaKey,
  Mimetype: f.mimetype,
  FileEncSHA256: f.fileEncSha256,
  FileSHA256: f.fileSha256,
  FileLength: f.fileLength,
});

function decoded(answer: DownloadAnswer): Buffer {
  const m = /^data:([^;]+(?:; ?codecs=\w+)?);base64,(.*)$/.exec(answer.Data);
  assert.ok(m, 'a base64 data URL');
  return Buffer.from(m[2], 'base64');
}

test('POST /message/download/<kind>: media a contact sent, downloaded from its Message event, is byte-identical', async () => {
  const samples: Array<['image' | 'video' | 'audio' | 'document' | 'sticker', Buffer, string]> = [
    ['image', await jpeg(), 'image/jpeg'],
    ['video', mp4(), 'video/mp4'],
    ['audio', oggOpus(), 'audio/ogg; codecs=opus'],
    ['document', pdf(), 'application/pdf'],
    ['sticker', await webp(128), 'image/webp'],
  ];
  for (const [kind, data, mimetype] of samples) {
    const { fields, media } = await receive(kind, data, mimetype, kind === 'document' ? { fileName: 'a.pdf' } : {});
    assert.ok(fields?.mediaKey, `${kind}: the event carries the media keys`);
    // The event's `media` block names its download route and carries exactly that route's fields.
    assert.equal(media.kind, kind, `${kind}: media.kind`);
    const { Url, DirectPath, MediaKey, Mimetype, FileEncSHA256, FileSHA256, FileLength } = media;
    const viaBlock = await env.wago.call<DownloadAnswer>('POST', String(media.downloadRoute), {
      token,
      body: { Url, ...(DirectPath ? { DirectPath } : {}), MediaKey, Mimetype, FileEncSHA256, FileSHA256, FileLength },
    });
    assert.equal(viaBlock.status, 200, `${kind}: download via the media block: ${JSON.stringify(viaBlock.body)}`);
    assert.ok(decoded(viaBlock.body.data!).equals(data), `${kind}: same bytes via the media block`);
    const r = await env.wago.call<DownloadAnswer>('POST', `/message/download/${kind}`, { token, body: body(fields) });
    assert.equal(r.status, 200, `${kind}: ${JSON.stringify(r.body)}`);
    assert.ok(decoded(r.body.data!).equals(data), `${kind}: same bytes`);
    assert.equal(r.body.data!.Mimetype, mimetype);
    assert.equal(r.body.data!.FileLength, data.length);
  }
});

test('POST /message/downloadimage: by stored message Id, or with the same fields as /message/download/image', async () => {
  const image = await png(30, 30);
  const { id, fields } = await receive('image', image, 'image/png');
  const byId = await waitFor('stored', async () => {
    const r = await env.wago.call<DownloadAnswer>('POST', '/message/downloadimage', { token, body: { Id: id } });
    return r.status === 404 ? undefined : r;
  });
  assert.equal(byId.status, 200, JSON.stringify(byId.body));
  assert.ok(decoded(byId.body.data!).equals(image), 'same bytes');
  const byFields = await env.wago.call<DownloadAnswer>('POST', '/message/downloadimage', { token, body: body(fields) });
  assert.ok(decoded(byFields.body.data!).equals(image), 'same bytes');
  const text = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'no picture' });
  await events.next('Message', (e: WagoEvent) => (e.data as { id?: string }).id === text.id);
  const noImage = await waitFor('stored text', async () => {
    const r = await env.wago.call('POST', '/message/downloadimage', { token, body: { Id: text.id } });
    return r.status === 404 ? undefined : r;
  });
  assert.equal(noImage.status, 400);
  assert.match(noImage.body.error!, /^Id: message .* has no image/);
  const unknown = await env.wago.call('POST', '/message/downloadimage', { token, body: { Id: 'NOPE' } });
  assert.equal(unknown.status, 404);
  const nothing = await env.wago.call('POST', '/message/downloadimage', { token, body: {} });
  assert.equal(nothing.status, 400);
  assert.match(nothing.body.error!, /^MediaKey is required/);
});

test("the dashboard's stored media: a stored message's file by chat and id, with its kind, type and name", async () => {
  const doc = pdf();
  const { id } = await receive('document', doc, 'application/pdf', { fileName: 'terms.pdf' });
  const event = events.events.find((e) => e.type === 'Message' && (e.data as { id?: string }).id === id)!;
  const stored = await waitFor('stored', async () => (await messageRepository.findWithHistory(event.sessionId, id)) ?? undefined);
  const media = await downloadStoredMedia(event.sessionId, stored.chatJid, id);
  assert.deepEqual([media.kind, media.mimetype, media.fileName], ['document', 'application/pdf', 'terms.pdf']);
  assert.ok(media.data.equals(doc), 'same bytes');
  const text = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'nothing attached' });
  await events.next('Message', (e: WagoEvent) => (e.data as { id?: string }).id === text.id);
  await waitFor('stored text', () => messageRepository.findWithHistory(event.sessionId, text.id));
  const refused = async (messageId: string, status: number, message: RegExp) =>
    assert.rejects(downloadStoredMedia(event.sessionId, stored.chatJid, messageId), (error: unknown) => error instanceof ApiError && error.status === status && message.test(error.message));
  await refused(text.id, 400, /^messageId: message .* has no media$/);
  await refused('NOPE', 404, /^messageId: no message NOPE in this chat$/);
});

test('media WaGo itself sent (https upload with DirectPath) downloads from its own Message event', async () => {
  const image = await png(20, 20, { r: 1, g: 2, b: 3 });
  const sent = await env.wago.call<SendAnswer>('POST', '/send/image', { token, body: { Phone: ALICE, Image: dataUrl('image/png', image) } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const event = await events.next('Message', (e: WagoEvent) => (e.data as { id?: string }).id === sent.body.data!.Id);
  const fields = (event.data as { message: Record<string, MediaFields> }).message.imageMessage;
  assert.ok(fields.directPath && fields.url?.startsWith('https://'), 'an https URL and a DirectPath');
  const r = await env.wago.call<DownloadAnswer>('POST', '/message/download/image', { token, body: body(fields) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(decoded(r.body.data!).equals(image), 'same bytes');
});

test('wrong hashes, key or length → 422; malformed fields and private URLs → 400', async () => {
  const image = await jpeg(40, 40);
  const { fields } = await receive('image', image, 'image/jpeg');
  const good = body(fields);
  const other = Buffer.alloc(32, 7).toString('base64');
  const cases: Array<[Record<string, unknown>, number, RegExp]> = [
    [{ ...good, FileSHA256: other }, 422, /^FileSHA256: does not match the decrypted media/],
    [{ ...good, FileEncSHA256: other }, 422, /^FileEncSHA256: does not match the downloaded file/],
    [{ ...good, MediaKey: other }, 422, /^MediaKey: does not decrypt this media/],
    [{ ...good, FileLength: image.length + 1 }, 422, /^FileLength: the media has/],
    [{ ...good, MediaKey: 'short' }, 400, /^MediaKey: must be 32 bytes in base64/],
    [{ ...good, FileSHA256: undefined }, 400, /^FileSHA256 is required/],
    [{ ...good, FileLength: '12' }, 400, /^FileLength: expected number/],
    [{ ...good, Url: 'http://10.0.0.1/v/t62.7118-24/abc.enc' }, 400, /^Url: URL resolves to a private address 10\.0\.0\.1/],
    [{ ...good, Url: 'http://127.0.0.1:9/x.enc' }, 400, /^Url: URL resolves to a private address 127\.0\.0\.1/],
    [{ ...good, Url: 'file:///etc/passwd' }, 400, /^Url: URL scheme file is not allowed/],
    [{ ...good, Url: `${new URL(fields.url!).origin}/v/t62.7118-24/missing.enc` }, 422, /^Url: download failed: HTTP 404/],
  ];
  for (const [input, status, message] of cases) {
    const r = await env.wago.call('POST', '/message/download/image', { token, body: input });
    assert.equal(r.status, status, `${JSON.stringify(input).slice(0, 200)} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message);
  }
});
