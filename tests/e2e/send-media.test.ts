import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startEmulatedWago, ALICE, OWNER_PHONE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';
import { dataUrl, jpeg, mp3, mp4, oggOpus, pdf, png, wav, webp } from '../fixtures/media/generate';

let env: EmulatedWago;
let token: string;

type Proto = Record<string, Record<string, unknown>>;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env);
});
after(async () => {
  await env?.stop();
});

/** Sends through WaGo and answers what Alice's phone decrypted: the message proto and the media bytes. */
async function sendAndReceive(path: string, body: Record<string, unknown>): Promise<{ answer: SendAnswer; message: Proto; type: string; data: Buffer; mimetype: string }> {
  const r = await env.wago.call<SendAnswer>('POST', path, { token, body });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const answer = r.body.data!;
  assert.equal(answer.Jid, `${ALICE}@s.whatsapp.net`);
  assert.equal(answer.Status, 'sent');
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === answer.Id, timeoutMs: 15_000 });
  assert.equal(got.fromPhone, OWNER_PHONE);
  const { data, mimetype } = await env.emu.control.receivedMedia(ALICE, answer.Id);
  return { answer, message: got.message as Proto, type: got.contentType, data, mimetype };
}

test('POST /send/image: PNG data URL arrives byte-identical as image/png with its caption', async () => {
  const image = await png();
  const got = await sendAndReceive('/send/image', { Phone: ALICE, Image: dataUrl('image/png', image), Caption: 'a red square' });
  assert.equal(got.type, 'imageMessage');
  assert.ok(got.data.equals(image), 'same bytes');
  assert.equal(got.mimetype, 'image/png');
  assert.equal(got.message.imageMessage.caption, 'a red square');
  assert.equal(got.message.imageMessage.width, 64);
});

test('POST /send/image: plain base64 JPEG (declared as PNG) is sent as image/jpeg; a chosen Id and a reply are honoured', async () => {
  const image = await jpeg();
  const first = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'quote me' } });
  const got = await sendAndReceive('/send/image', { Phone: ALICE, Image: dataUrl('image/png', image), Id: 'WAGO-IMG-0001', ContextInfo: { StanzaId: first.body.data!.Id } });
  assert.equal(got.answer.Id, 'WAGO-IMG-0001');
  assert.ok(got.data.equals(image), 'same bytes');
  assert.equal(got.mimetype, 'image/jpeg');
  assert.equal((got.message.imageMessage.contextInfo as { stanzaId?: string }).stanzaId, first.body.data!.Id);
  const plain = await sendAndReceive('/send/image', { Phone: ALICE, Image: image.toString('base64') });
  assert.ok(plain.data.equals(image), 'same bytes');
});

test('POST /send/video: MP4 arrives byte-identical with caption and a generated thumbnail', async () => {
  const video = mp4();
  const got = await sendAndReceive('/send/video', { Phone: ALICE, Video: dataUrl('video/mp4', video), Caption: 'clip' });
  assert.equal(got.type, 'videoMessage');
  assert.ok(got.data.equals(video), 'same bytes');
  assert.equal(got.mimetype, 'video/mp4');
  assert.equal(got.message.videoMessage.caption, 'clip');
  const thumb = Buffer.from(String(got.message.videoMessage.jpegThumbnail ?? ''), 'base64');
  assert.equal((await sharp(thumb).metadata()).format, 'jpeg');
});

test('POST /send/video: a given JpegThumbnail is used as is', async () => {
  const thumb = await jpeg(32, 24);
  const got = await sendAndReceive('/send/video', { Phone: ALICE, Video: dataUrl('video/mp4', mp4()), JpegThumbnail: thumb.toString('base64') });
  assert.equal(got.message.videoMessage.jpegThumbnail, thumb.toString('base64'));
});

test('POST /send/audio Ptt: a WAV becomes an Ogg/Opus voice note (48 kHz mono) with its duration', async () => {
  const got = await sendAndReceive('/send/audio', { Phone: ALICE, Audio: dataUrl('audio/wav', wav()), Ptt: true });
  assert.equal(got.type, 'audioMessage');
  assert.equal(got.message.audioMessage.ptt, true);
  assert.equal(got.mimetype, 'audio/ogg; codecs=opus');
  assert.equal(got.data.subarray(0, 4).toString('latin1'), 'OggS');
  const head = got.data.indexOf('OpusHead');
  assert.ok(head > 0, 'an Opus stream');
  assert.equal(got.data[head + 9], 1, 'mono');
  assert.equal(got.data.readUInt32LE(head + 12), 48_000, '48 kHz input rate');
  assert.equal(got.message.audioMessage.seconds, 2, '1.5 s rounds up');
  const waveform = Buffer.from(String(got.message.audioMessage.waveform ?? ''), 'base64');
  assert.equal(waveform.length, 64, 'a 64-bar waveform');
  assert.equal(Math.max(...waveform), 100);
});

test('POST /send/audio: Ogg/Opus voice notes and MP3 audio are sent unchanged; Duration is used', async () => {
  const opus = oggOpus();
  const voice = await sendAndReceive('/send/audio', { Phone: ALICE, Audio: dataUrl('audio/ogg', opus), Ptt: true, Duration: 7 });
  assert.ok(voice.data.equals(opus), 'same bytes');
  assert.equal(voice.message.audioMessage.seconds, 7);
  const song = mp3();
  const music = await sendAndReceive('/send/audio', { Phone: ALICE, Audio: dataUrl('audio/mpeg', song) });
  assert.ok(music.data.equals(song), 'same bytes');
  assert.equal(music.mimetype, 'audio/mpeg');
  assert.ok(!music.message.audioMessage.ptt, 'not a voice note');
});

test('POST /send/document: file name, caption, detected or given mimetype, bytes identical', async () => {
  const doc = pdf();
  const got = await sendAndReceive('/send/document', { Phone: ALICE, Document: dataUrl('application/octet-stream', doc), FileName: 'report.pdf', Caption: 'the report' });
  assert.equal(got.type, 'documentMessage');
  assert.ok(got.data.equals(doc), 'same bytes');
  assert.equal(got.mimetype, 'application/pdf');
  assert.equal(got.message.documentMessage.fileName, 'report.pdf');
  assert.equal(got.message.documentMessage.caption, 'the report');
  const text = Buffer.from('name,qty\napple,3\n');
  const csv = await sendAndReceive('/send/document', { Phone: ALICE, Document: text.toString('base64'), FileName: 'stock.csv' });
  assert.equal(csv.mimetype, 'text/csv');
  const given = await sendAndReceive('/send/document', { Phone: ALICE, Document: text.toString('base64'), FileName: 'x.dat', Mimetype: 'application/x-custom' });
  assert.equal(given.mimetype, 'application/x-custom');
  assert.ok(given.data.equals(text), 'same bytes');
});

test('POST /send/sticker: WebP unchanged; PNG converted to a 512×512 WebP; PngThumbnail carried', async () => {
  const sticker = await webp();
  const got = await sendAndReceive('/send/sticker', { Phone: ALICE, Sticker: dataUrl('image/webp', sticker) });
  assert.equal(got.type, 'stickerMessage');
  assert.ok(got.data.equals(sticker), 'same bytes');
  assert.equal(got.mimetype, 'image/webp');
  const thumb = await png(16, 16);
  const converted = await sendAndReceive('/send/sticker', { Phone: ALICE, Sticker: dataUrl('image/png', await png(100, 50)), PngThumbnail: thumb.toString('base64') });
  const meta = await sharp(converted.data).metadata();
  assert.equal(meta.format, 'webp');
  assert.deepEqual([meta.width, meta.height], [512, 512]);
  assert.equal(converted.mimetype, 'image/webp');
  assert.equal(converted.message.stickerMessage.pngThumbnail, thumb.toString('base64'));
});

test('bad input: 400 naming the field, nothing is sent', async () => {
  const before = env.emu.control.received(ALICE).length;
  const image = dataUrl('image/png', await png());
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['/send/image', { Image: image }, /^Phone is required/],
    ['/send/image', { Phone: ALICE }, /^Image is required/],
    ['/send/image', { Phone: 'nope', Image: image }, /^Phone: must be a phone number/],
    ['/send/image', { Phone: ALICE, Image: 'data:image/png;base64,@@@@' }, /^Image: not a valid base64 data URL/],
    ['/send/image', { Phone: ALICE, Image: 'data:image/png,abc' }, /^Image: not a valid base64 data URL/],
    ['/send/image', { Phone: ALICE, Image: dataUrl('image/png', pdf()) }, /^Image: must be a JPEG, PNG or WebP image, got application\/pdf/],
    ['/send/image', { Phone: ALICE, Image: dataUrl('image/png', Buffer.from('just text')) }, /^Image: must be a JPEG, PNG or WebP image, the file type is not recognised/],
    ['/send/image', { Phone: ALICE, Image: 'http://127.0.0.1:9/x.png' }, /^Image: URL resolves to a private address 127\.0\.0\.1/],
    ['/send/image', { Phone: ALICE, Image: 'ftp://example.org/x.png' }, /^Image: must be a base64 data URL, base64 or an http\(s\) URL/],
    ['/send/video', { Phone: ALICE, Video: image }, /^Video: must be an MP4 or 3GP video, got image\/png/],
    ['/send/video', { Phone: ALICE, Video: dataUrl('video/mp4', mp4()), JpegThumbnail: (await png()).toString('base64') }, /^JpegThumbnail: must be a base64 JPEG image/],
    ['/send/audio', { Phone: ALICE }, /^Audio is required/],
    ['/send/audio', { Phone: ALICE, Audio: image, Ptt: true }, /^Audio: must be an audio file, got image\/png/],
    ['/send/audio', { Phone: ALICE, Audio: dataUrl('audio/ogg', oggOpus()), Ptt: 'yes' }, /^Ptt: expected boolean/],
    ['/send/audio', { Phone: ALICE, Audio: dataUrl('audio/ogg', oggOpus()), Duration: 1.5 }, /^Duration: must be whole seconds/],
    ['/send/document', { Phone: ALICE, Document: dataUrl('application/pdf', pdf()) }, /^FileName is required/],
    ['/send/document', { Phone: ALICE, Document: 'not base64 !!', FileName: 'a.pdf' }, /^Document: not a valid base64 data URL or base64 text/],
    ['/send/document', { Phone: ALICE, Document: dataUrl('application/pdf', pdf()), FileName: 'a.pdf', Mimetype: 'pdf' }, /^Mimetype: must be a MIME type/],
    ['/send/sticker', { Phone: ALICE, Sticker: dataUrl('video/mp4', mp4()) }, /^Sticker: must be a WebP, PNG, JPEG or GIF image, got video\/mp4/],
    ['/send/sticker', { Phone: '123', Sticker: image }, /^Phone: must have 7 to 15 digits/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://127.0.0.1:9/x.png', Type: 'image', Caption: '', Filename: '' }, /^Url: URL resolves to a private address 127\.0\.0\.1/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://[::1]:9/x.png', Type: 'image', Caption: '', Filename: '' }, /^Url: URL resolves to a private address ::1/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://localhost:9/x.png', Type: 'image', Caption: '', Filename: '' }, /^Url: URL resolves to a private address/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://10.1.2.3/x.png', Type: 'document', Caption: '', Filename: '' }, /^Url: URL resolves to a private address 10\.1\.2\.3/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://169.254.169.254/latest', Type: 'document', Caption: '', Filename: '' }, /^Url: URL resolves to a private address 169\.254\.169\.254/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'data:image/png;base64,AAAA', Type: 'image', Caption: '', Filename: '' }, /^Url: must be an http\(s\) URL/],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://example.org/x', Type: 'gif', Caption: '', Filename: '' }, /^Type: /],
    ['/send/mediaurl', { Jid: ALICE, Url: 'http://example.org/x', Type: 'image', Filename: '' }, /^Caption is required/],
    ['/send/mediaurl', { Url: 'http://example.org/x', Type: 'image', Caption: '', Filename: '' }, /^Jid is required/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call(path === '/send/mediaurl' ? 'POST' : 'POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(ALICE).length, before, 'nothing reached the contact');
});
