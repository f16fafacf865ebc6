import { test, before, after } from 'node:test';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago, type SendAnswer } from '../helpers/emulated-wago';
import { dataUrl, mp4, png } from '../fixtures/media/generate';
import type { ReceivedMessage } from '../../emulator/world/types';

/** Status posts: every contact's phone decrypts the status (sender key) with its colours, font and caption. */

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
const CAROL = '15550002003';

type StatusAnswer = SendAnswer & { Recipients: string[] };
type Proto = Record<string, Record<string, unknown>>;

const pn = (phone: string) => `${phone}@s.whatsapp.net`;

const HAVE_FFMPEG = existsSync('/usr/bin/ffmpeg');

/** An ISO BMFF (MP4) file: ftyp and an mdat box; ffmpeg encodes a playable one when installed. */
function sampleVideo(): Buffer {
  if (HAVE_FFMPEG) return mp4();
  const box = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1')), box('mdat', Buffer.alloc(256, 7))]);
}

before(async () => {
  env = await startEmulatedWago();
  // Without contacts there is no audience.
  token = await linkedSession(env, 'stories');
  const lonely = await env.wago.call('POST', '/status/text', { token, body: { Text: 'anyone?' } });
  assert.equal(lonely.status, 400, JSON.stringify(lonely.body));
  assert.match(lonely.body.error!, /^Recipients: /);
  // The session chats with Alice and Bob: they become its contacts.
  for (const phone of [ALICE, BOB]) {
    const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: phone, Body: 'hi' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await waitFor('the message to be stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: r.body.data!.Id } })).status === 200);
  }
});
after(async () => {
  await env?.stop();
});

/** Waits until the phone of `phone` decrypted status `id`. */
const statusOn = (phone: string, id: string): Promise<ReceivedMessage> =>
  waitFor(`status ${id} on ${phone}`, async () => env.emu.control.statuses(phone).find((s) => s.id === id), 15_000);

async function post(path: string, body: Record<string, unknown>): Promise<StatusAnswer> {
  const r = await env.wago.call<StatusAnswer>('POST', path, { token, body });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Jid, 'status@broadcast');
  assert.equal(r.body.data!.Status, 'sent');
  return r.body.data!;
}

test('POST /status/text: every contact decrypts the text with its colours and font; others do not get it', async () => {
  const answer = await post('/status/text', { Text: 'Good morning ☀️', TextColor: 0xffffffff, BackgroundColor: 0xff1e6e4f, Font: 8 });
  assert.deepEqual([...answer.Recipients].sort(), [pn(ALICE), pn(BOB)]);
  for (const phone of [ALICE, BOB]) {
    const got = await statusOn(phone, answer.Id);
    assert.equal(got.fromPhone, OWNER_PHONE);
    assert.equal(got.encType, 'skmsg');
    assert.equal(got.chat, 'status@broadcast');
    assert.equal(got.contentType, 'extendedTextMessage');
    const text = (got.message as Proto).extendedTextMessage;
    assert.equal(text.text, 'Good morning ☀️');
    assert.equal(text.textArgb, 0xffffffff);
    assert.equal(text.backgroundArgb, 0xff1e6e4f);
    assert.equal(text.font, 'CALISTOGA_REGULAR');
  }
  assert.equal(env.emu.control.statuses(CAROL).length, 0);
  // A second status reaches them too (the sender key is distributed again and still decrypts).
  const second = await post('/status/text', { Text: 'again', BackgroundColor: -16777216 });
  const again = await statusOn(ALICE, second.Id);
  assert.equal((again.message as Proto).extendedTextMessage.backgroundArgb, 0xff000000);
});

test('POST /status/image: the image with its caption, to the Recipients given', async () => {
  const image = await png();
  const answer = await post('/status/image', { Image: dataUrl('image/png', image), Caption: 'red square', Recipients: [`+${CAROL}`, ALICE] });
  assert.deepEqual(answer.Recipients, [pn(CAROL), pn(ALICE)]);
  for (const phone of [CAROL, ALICE]) {
    const got = await statusOn(phone, answer.Id);
    assert.equal(got.contentType, 'imageMessage');
    assert.equal((got.message as Proto).imageMessage.caption, 'red square');
    const media = await env.emu.control.receivedMedia(phone, answer.Id);
    assert.ok(media.data.equals(image), 'same bytes');
    assert.equal(media.mimetype, 'image/png');
  }
  assert.ok(!env.emu.control.statuses(BOB).some((s) => s.id === answer.Id), 'Bob is not among the Recipients');
});

test('POST /status/video: every contact decrypts the video with its caption and thumbnail', async () => {
  const video = sampleVideo();
  const answer = await post('/status/video', { Video: dataUrl('video/mp4', video), Caption: 'clip' });
  for (const phone of [ALICE, BOB]) {
    const got = await statusOn(phone, answer.Id);
    assert.equal(got.contentType, 'videoMessage');
    const message = (got.message as Proto).videoMessage;
    assert.equal(message.caption, 'clip');
    if (HAVE_FFMPEG) assert.ok(String(message.jpegThumbnail ?? '').length > 0, 'a thumbnail');
    const media = await env.emu.control.receivedMedia(phone, answer.Id);
    assert.ok(media.data.equals(video), 'same bytes');
    assert.equal(media.mimetype, 'video/mp4');
  }
});

test('bad input: 400 naming the field, and nothing is sent', async () => {
  const messages = Number(env.emu.control.stats().clientMessages);
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['/status/text', {}, /^Text is required/],
    ['/status/text', { Text: '' }, /^Text: must not be empty/],
    ['/status/text', { Text: 'x'.repeat(701) }, /^Text: must be at most 700 characters/],
    ['/status/text', { Text: 'hi', TextColor: 1.5 }, /^TextColor: must be a whole number/],
    ['/status/text', { Text: 'hi', BackgroundColor: 0x1ffffffff }, /^BackgroundColor: must be a 32-bit ARGB number/],
    ['/status/text', { Text: 'hi', Font: 4 }, /^Font: must be one of 0, 1, 2, 6, 7, 8, 9, 10/],
    ['/status/text', { Text: 'hi', Font: 'bold' }, /^Font: /],
    ['/status/text', { Text: 'hi', Recipients: [] }, /^Recipients: must name at least one recipient/],
    ['/status/text', { Text: 'hi', Recipients: [ALICE, 'nope'] }, /^Recipients\[1\]: /],
    ['/status/text', { Text: 'hi', Recipients: ['120363000000000001@g.us'] }, /^Recipients\[0\]: must be a phone number or a user JID/],
    ['/status/image', { Caption: 'no image' }, /^Image is required/],
    ['/status/image', { Image: 'bm90IGFuIGltYWdl' }, /^Image: /],
    ['/status/video', {}, /^Video is required/],
    ['/status/video', { Video: dataUrl('image/png', await png()) }, /^Video: /],
  ];
  for (const [path, body, error] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, error);
  }
  const unknown = await env.wago.call('POST', '/status/text', { token, body: { Text: 'hi', Recipients: [ALICE, '15550007301'] } });
  assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
  assert.equal(unknown.body.error, 'Recipients[1]: not on WhatsApp');
  assert.equal(Number(env.emu.control.stats().clientMessages), messages, 'no message stanza was sent');
});

test('a contact who wrote to the session (by LID) joins the audience, once', async () => {
  const dave = '15550007400';
  env.emu.control.createAccount({ phone: dave, name: 'Dave' });
  const sent = await env.emu.control.send(dave, { to: OWNER_PHONE, text: 'hello from Dave', addressing: 'lid' });
  await waitFor('the message to be stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: sent.id } })).status === 200);
  const answer = await post('/status/text', { Text: 'welcome, Dave' });
  assert.equal(answer.Recipients.length, 3, JSON.stringify(answer.Recipients));
  const got = await statusOn(dave, answer.Id);
  assert.equal((got.message as Proto).extendedTextMessage.text, 'welcome, Dave');
  for (const phone of [ALICE, BOB]) await statusOn(phone, answer.Id);
});
