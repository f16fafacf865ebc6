import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulatedWago, ALICE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';
import { dataUrl, mp3, mp4, pdf, png, webp } from '../fixtures/media/generate';
import { decryptMedia } from '../../emulator/media/store';

/** WaGo with private URLs allowed (the file server is on loopback) and a 1 MB media limit. */
let env: EmulatedWago;
let token: string;
let server: Server;
let base: string;
const files = new Map<string, { type: string; body: Buffer }>();
let hits = 0;

before(async () => {
  files.set('/cat.png', { type: 'image/png', body: await png(80, 60) });
  files.set('/report.pdf', { type: 'application/pdf', body: pdf() });
  files.set('/song.mp3', { type: 'audio/mpeg', body: mp3() });
  files.set('/clip.mp4', { type: 'video/mp4', body: mp4() });
  files.set('/sticker.webp', { type: 'image/webp', body: await webp() });
  files.set('/big.png', { type: 'image/png', body: Buffer.concat([await png(), Buffer.alloc(2 * 1024 * 1024)]) });
  files.set('/fake.png', { type: 'image/png', body: Buffer.from('<html>not an image</html>') });
  server = createServer((req, res) => {
    hits++;
    const path = req.url ?? '/';
    if (path === '/redirect') {
      res.writeHead(302, { location: '/cat.png' }).end();
      return;
    }
    if (path.startsWith('/loop/')) {
      res.writeHead(302, { location: `/loop/${Number(path.slice(6)) + 1}` }).end();
      return;
    }
    if (path === '/stream-big') {
      // No content-length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = await startEmulatedWago({ WAGO_MEDIA_ALLOW_PRIVATE_URLS: '1', WAGO_MEDIA_MAX_BYTES: String(1024 * 1024) });
  token = await linkedSession(env, 'media-url');
});
after(async () => {
  await env?.stop();
  server?.close();
});

async function sendAndReceive(path: string, body: Record<string, unknown>) {
  const r = await env.wago.call<SendAnswer>('POST', path, { token, body });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === r.body.data!.Id, timeoutMs: 15_000 });
  const media = await env.emu.control.receivedMedia(ALICE, r.body.data!.Id);
  return { answer: r.body.data!, message: got.message as Record<string, Record<string, unknown>>, type: got.contentType, ...media };
}

test('POST /send/mediaurl: each Type is downloaded and arrives byte-identical with caption, file name and duration', async () => {
  const image = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/cat.png`, Type: 'image', Caption: 'from a URL', Filename: '' });
  assert.equal(image.answer.Jid, `${ALICE}@s.whatsapp.net`);
  assert.equal(image.type, 'imageMessage');
  assert.ok(image.data.equals(files.get('/cat.png')!.body), 'same bytes');
  assert.equal(image.mimetype, 'image/png');
  assert.equal(image.message.imageMessage.caption, 'from a URL');

  const doc = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/report.pdf`, Type: 'document', Caption: 'see this', Filename: 'Q3 report.pdf' });
  assert.ok(doc.data.equals(files.get('/report.pdf')!.body), 'same bytes');
  assert.equal(doc.mimetype, 'application/pdf');
  assert.equal(doc.message.documentMessage.fileName, 'Q3 report.pdf');
  assert.equal(doc.message.documentMessage.caption, 'see this');
  const named = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/report.pdf`, Type: 'document', Caption: '', Filename: '' });
  assert.equal(named.message.documentMessage.fileName, 'report.pdf', 'taken from the URL');

  const audio = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/song.mp3`, Type: 'audio', Caption: '', Filename: '', Duration: 42 });
  assert.ok(audio.data.equals(files.get('/song.mp3')!.body), 'same bytes');
  assert.equal(audio.mimetype, 'audio/mpeg');
  assert.equal(audio.message.audioMessage.seconds, 42);

  const video = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/clip.mp4`, Type: 'video', Caption: 'moving', Filename: '' });
  assert.ok(video.data.equals(files.get('/clip.mp4')!.body), 'same bytes');
  assert.equal(video.message.videoMessage.caption, 'moving');

  const sticker = await sendAndReceive('/send/mediaurl', { Jid: ALICE, Url: `${base}/sticker.webp`, Type: 'sticker', Caption: '', Filename: '' });
  assert.ok(sticker.data.equals(files.get('/sticker.webp')!.body), 'same bytes');
  assert.equal(sticker.type, 'stickerMessage');
});

test('a media field may be an http(s) URL; redirects are followed', async () => {
  const got = await sendAndReceive('/send/image', { Phone: ALICE, Image: `${base}/redirect`, Caption: 'redirected' });
  assert.ok(got.data.equals(files.get('/cat.png')!.body), 'same bytes');
  assert.equal(got.message.imageMessage.caption, 'redirected');
});

test('interactive header media from URLs: /send/mediabutton and /send/carouselmedia download, type from the bytes, byte-identical', async () => {
  const button = await env.wago.call<SendAnswer>('POST', '/send/mediabutton', {
    token,
    body: { Phone: ALICE, Type: 'document', Media: `${base}/report.pdf`, Content: 'Your invoice', Buttons: [{ Id: 'ok', Text: 'OK' }] },
  });
  assert.equal(button.status, 200, JSON.stringify(button.body));
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === button.body.data!.Id, timeoutMs: 15_000 });
  const header = (got.message as { interactiveMessage?: { header?: { documentMessage?: { mimetype?: string; fileName?: string; directPath?: string; mediaKey?: Uint8Array } } } }).interactiveMessage?.header;
  assert.equal(header?.documentMessage?.mimetype, 'application/pdf', 'typed from the bytes');
  assert.equal(header?.documentMessage?.fileName, 'report.pdf', 'named after the URL when Filename is not given');
  const stored = env.emu.context.services.media.resolve(header?.documentMessage?.directPath);
  assert.ok(stored, 'uploaded to the media server');
  assert.ok((await decryptMedia(stored.body, header!.documentMessage!.mediaKey!, 'document')).equals(files.get('/report.pdf')!.body), 'same bytes');

  const card = (title: string, media: string) => ({ Title: title, Body: 'b', Media: media, Buttons: [{ Id: title, Text: 'Pick' }] });
  const hitsBefore = hits;
  const carousel = await env.wago.call<SendAnswer>('POST', '/send/carouselmedia', { token, body: { Phone: ALICE, Body: 'clips', Cards: [card('one', `${base}/clip.mp4`), card('two', `${base}/clip.mp4`)] } });
  assert.equal(carousel.status, 200, JSON.stringify(carousel.body));
  assert.equal(hits - hitsBefore, 2, 'each card downloaded once (the first one also decides the kind)');
  const [withCards] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === carousel.body.data!.Id, timeoutMs: 15_000 });
  const cards = (withCards.message as { interactiveMessage?: { carouselMessage?: { cards?: Array<{ header?: { videoMessage?: { mimetype?: string } } }> } } }).interactiveMessage?.carouselMessage?.cards ?? [];
  assert.deepEqual(cards.map((c) => c.header?.videoMessage?.mimetype), ['video/mp4', 'video/mp4'], 'the first card made them videos');

  const mixed = await env.wago.call('POST', '/send/carouselmedia', { token, body: { Phone: ALICE, Cards: [card('one', `${base}/clip.mp4`), card('two', `${base}/cat.png`)] } });
  assert.equal(mixed.status, 400);
  assert.match(mixed.body.error!, /^Cards\[1\]\.Media: must be an MP4 or 3GP video, got image\/png$/);
});

test('refused: oversized (base64, URL, streamed), too many redirects, type mismatch, HTTP errors; nothing sent', async () => {
  const before = env.emu.control.received(ALICE).length;
  const big = files.get('/big.png')!.body;
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['/send/image', { Phone: ALICE, Image: dataUrl('image/png', big) }, /^Image: file is 2 MB, larger than 1 MB$/],
    ['/send/document', { Phone: ALICE, Document: big.toString('base64'), FileName: 'big.bin' }, /^Document: file is 2 MB, larger than 1 MB$/],
    ['/send/image', { Phone: ALICE, Image: `${base}/big.png` }, /^Image: file is 2 MB, larger than 1 MB$/],
    ['/send/mediaurl', { Jid: ALICE, Url: `${base}/stream-big`, Type: 'document', Caption: '', Filename: 'x' }, /^Url: file is larger than 1 MB$/],
    ['/send/mediaurl', { Jid: ALICE, Url: `${base}/loop/0`, Type: 'image', Caption: '', Filename: '' }, /^Url: too many redirects \(more than 5\)$/],
    ['/send/mediaurl', { Jid: ALICE, Url: `${base}/fake.png`, Type: 'image', Caption: '', Filename: '' }, /^Url: must be a JPEG, PNG or WebP image, the file type is not recognised$/],
    ['/send/mediaurl', { Jid: ALICE, Url: `${base}/report.pdf`, Type: 'video', Caption: '', Filename: '' }, /^Url: must be an MP4 or 3GP video, got application\/pdf$/],
    ['/send/mediaurl', { Jid: ALICE, Url: `${base}/missing.png`, Type: 'image', Caption: '', Filename: '' }, /^Url: download failed: HTTP 404$/],
    ['/send/video', { Phone: ALICE, Video: `${base}/missing.mp4` }, /^Video: download failed: HTTP 404$/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(ALICE).length, before, 'nothing reached the contact');
});

test('an unreachable recipient or a bad Jid is refused before anything is downloaded', async () => {
  const before = hits;
  const r = await env.wago.call('POST', '/send/mediaurl', { token, body: { Jid: 'bogus', Url: `${base}/cat.png`, Type: 'image', Caption: '', Filename: '' } });
  assert.equal(r.status, 400);
  assert.match(r.body.error!, /^Jid: must be a phone number/);
  assert.equal(hits, before, 'the file server was not asked');
});
