import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { proto } from 'baileys';
import { startEmulatedWago, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';

/** /send/poll, /send/location, /send/contact, /send/preview, /send/preview2, /send/groupinvite against the emulator. */

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
interface SendAnswer {
  Id: string;
  Timestamp: number;
  Jid: string;
  Lid: string | null;
  Status: string;
}

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'structured');
});
after(async () => {
  await env?.stop();
});

/** Sends, checks the answer and returns what Alice decrypted (proto JSON). */
async function sendAndReceive(path: string, body: Record<string, unknown>): Promise<{ answer: SendAnswer; message: proto.Message }> {
  const r = await env.wago.call<SendAnswer>('POST', path, { token, body: { Phone: ALICE, ...body } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const answer = r.body.data!;
  assert.equal(answer.Jid, `${ALICE}@s.whatsapp.net`);
  assert.match(answer.Lid ?? '', /@lid$/);
  assert.equal(answer.Status, 'sent');
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === answer.Id, timeoutMs: 10_000 });
  return { answer, message: proto.Message.fromObject(got.message) };
}

const image = async () => (await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c0392b' } }).png().toBuffer()).toString('base64');

test('POST /send/poll: the contact decrypts question, options and the selectable count', async () => {
  const { message } = await sendAndReceive('/send/poll', { Question: 'Lunch?', Options: ['Pizza', 'Sushi', 'Salad'], MaxAnswer: 2 });
  const poll = message.pollCreationMessage!;
  assert.equal(poll.name, 'Lunch?');
  assert.deepEqual((poll.options ?? []).map((o) => o.optionName), ['Pizza', 'Sushi', 'Salad']);
  assert.equal(poll.selectableOptionsCount, 2);
  assert.equal(message.messageContextInfo?.messageSecret?.length, 32, 'votes can be encrypted');
  const single = await sendAndReceive('/send/poll', { Question: 'Yes or no?', Options: ['Yes', 'No'], MaxAnswer: 1 });
  assert.equal(single.message.pollCreationMessageV3?.name, 'Yes or no?');
  assert.deepEqual((single.message.pollCreationMessageV3?.options ?? []).map((o) => o.optionName), ['Yes', 'No']);
  assert.equal(single.message.pollCreationMessageV3?.selectableOptionsCount, 1);
});

test('POST /send/location: coordinates and name; a reply quotes the message', async () => {
  const first = await sendAndReceive('/send/location', { Latitude: -23.55052, Longitude: -46.633308, Name: 'São Paulo' });
  const pin = first.message.locationMessage!;
  assert.equal(pin.degreesLatitude, -23.55052);
  assert.equal(pin.degreesLongitude, -46.633308);
  assert.equal(pin.name, 'São Paulo');
  const reply = await sendAndReceive('/send/location', { Latitude: 0, Longitude: 180, ContextInfo: { StanzaId: first.answer.Id } });
  assert.equal(reply.message.locationMessage?.degreesLongitude, 180);
  assert.equal(reply.message.locationMessage?.contextInfo?.stanzaId, first.answer.Id);
});

test('POST /send/contact: a vCard 3.0 with the given fields and the WhatsApp number', async () => {
  const { message } = await sendAndReceive('/send/contact', {
    Vcard: { FullName: 'Maria Silva; Jr', Phone: '+55 11 98888-7777', Organization: 'Padaria, Ltda', Email: 'maria@example.org', Title: 'Owner' },
  });
  const card = message.contactMessage!;
  assert.equal(card.displayName, 'Maria Silva; Jr');
  const lines = card.vcard!.split('\r\n');
  assert.equal(lines[0], 'BEGIN:VCARD');
  assert.equal(lines[1], 'VERSION:3.0');
  assert.ok(lines.includes('FN:Maria Silva\\; Jr'), card.vcard ?? '');
  assert.ok(lines.includes('ORG:Padaria\\, Ltda'));
  assert.ok(lines.includes('TITLE:Owner'));
  assert.ok(lines.includes('TEL;type=CELL;type=VOICE;waid=5511988887777:+5511988887777'));
  assert.ok(lines.includes('EMAIL;type=INTERNET:maria@example.org'));
  assert.equal(lines.at(-1), 'END:VCARD');
});

test('POST /send/preview and /send/preview2: title, description, matched URL and thumbnail; preview2 uploads the image', async () => {
  const Image = await image();
  const small = await sendAndReceive('/send/preview', { Text: 'Look at https://example.org/page', MatchedURL: 'https://example.org/page', Title: 'Example page', Description: 'A page', Image });
  const ext = small.message.extendedTextMessage!;
  assert.equal(ext.text, 'Look at https://example.org/page');
  assert.equal(ext.matchedText, 'https://example.org/page');
  assert.equal(ext.title, 'Example page');
  assert.equal(ext.description, 'A page');
  const thumb = Buffer.from(ext.jpegThumbnail!);
  assert.deepEqual([...thumb.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG thumbnail');
  assert.equal((await sharp(thumb).metadata()).width, 192);
  assert.ok(!ext.thumbnailDirectPath, 'no upload for the small preview');

  const large = await sendAndReceive('/send/preview2', { Text: 'No link here', MatchedURL: 'https://example.org/big', Title: 'Big', Description: '', Image: `data:image/png;base64,${Image}` });
  const ext2 = large.message.extendedTextMessage!;
  assert.equal(ext2.text, 'No link here\nhttps://example.org/big', 'the URL is appended');
  assert.equal(ext2.matchedText, 'https://example.org/big');
  assert.equal(ext2.title, 'Big');
  assert.ok(ext2.jpegThumbnail);
  assert.ok(ext2.thumbnailDirectPath, 'the full image was uploaded');
  assert.equal(ext2.mediaKey?.length, 32);
  assert.equal(ext2.thumbnailSha256?.length, 32);
  assert.equal(ext2.thumbnailEncSha256?.length, 32);
  assert.equal(ext2.thumbnailWidth, 400);
});

test('POST /send/groupinvite: text with a group-invite preview', async () => {
  const link = 'https://chat.whatsapp.com/AbCdEfGhIj1234567890';
  const { message } = await sendAndReceive('/send/groupinvite', { Text: 'Join us!', MatchedText: link, Title: 'Bakery friends' });
  const ext = message.extendedTextMessage!;
  assert.equal(ext.text, `Join us!\n${link}`);
  assert.equal(ext.matchedText, link);
  assert.equal(ext.title, 'Bakery friends');
  assert.equal(ext.description, 'WhatsApp Group Invite');
  assert.equal(ext.inviteLinkGroupTypeV2, proto.Message.ExtendedTextMessage.InviteLinkGroupType.DEFAULT);
  const plain = await sendAndReceive('/send/groupinvite', { Text: 'See https://example.org', MatchedText: 'https://example.org', Title: 'Site' });
  assert.ok(!plain.message.extendedTextMessage?.description);
  assert.equal(plain.message.extendedTextMessage?.matchedText, 'https://example.org');
});

test('bad input: 400 naming the field, nothing is sent', async () => {
  const before = env.emu.control.received(BOB).length;
  const png = await image();
  const preview = { Phone: BOB, Text: 't', MatchedURL: 'https://x.org', Title: 'T', Description: 'D', Image: png };
  const cases: Array<[string, unknown, RegExp]> = [
    ['/send/poll', { Phone: BOB, Question: 'Q', Options: ['only one'], MaxAnswer: 1 }, /^Options: needs at least 2 options/],
    ['/send/poll', { Phone: BOB, Question: 'Q', Options: ['a', 'a'], MaxAnswer: 1 }, /^Options\[1\]: duplicate option/],
    ['/send/poll', { Phone: BOB, Question: 'Q', Options: ['a', 'b'], MaxAnswer: 3 }, /^MaxAnswer: must be at most 2/],
    ['/send/poll', { Phone: BOB, Question: 'Q', Options: ['a', 'b'], MaxAnswer: 1.5 }, /^MaxAnswer: must be an integer/],
    ['/send/poll', { Phone: BOB, Question: '', Options: ['a', 'b'], MaxAnswer: 1 }, /^Question: must not be empty/],
    ['/send/poll', { Phone: BOB, Options: ['a', 'b'], MaxAnswer: 1 }, /^Question is required/],
    ['/send/location', { Phone: BOB, Latitude: 91, Longitude: 0 }, /^Latitude: must be between -90 and 90/],
    ['/send/location', { Phone: BOB, Latitude: 0, Longitude: -181 }, /^Longitude: must be between -180 and 180/],
    ['/send/location', { Phone: BOB, Latitude: '1', Longitude: 0 }, /^Latitude: expected number/],
    ['/send/location', { Phone: BOB, Longitude: 0 }, /^Latitude is required/],
    ['/send/contact', { Phone: BOB, Vcard: { Phone: '+5511988887777' } }, /^Vcard\.FullName is required/],
    ['/send/contact', { Phone: BOB, Vcard: { FullName: 'X', Phone: 'abc' } }, /^Vcard\.Phone: must be a phone number/],
    ['/send/contact', { Phone: BOB, Vcard: { FullName: 'X', Phone: '+5511988887777', Email: 'nope' } }, /^Vcard\.Email: must be an e-mail address/],
    ['/send/contact', { Phone: BOB, Vcard: 'BEGIN:VCARD' }, /^Vcard: expected object/],
    ['/send/preview', { ...preview, MatchedURL: 'ftp://x.org' }, /^MatchedURL: must be an http\(s\) URL/],
    ['/send/preview', { ...preview, Image: 'not base64!' }, /^Image: must be base64 data/],
    ['/send/preview', { ...preview, Image: Buffer.from('hello world').toString('base64') }, /^Image: is not a readable image/],
    ['/send/preview2', { ...preview, Title: undefined }, /^Title is required/],
    ['/send/groupinvite', { Phone: BOB, Text: 'x', MatchedText: 'not a link', Title: 'T' }, /^MatchedText: must be an http\(s\) URL/],
    ['/send/groupinvite', { Phone: BOB, Text: 'x', MatchedText: 'https://chat.whatsapp.com/AbCdEfGhIj12' }, /^Title is required/],
    ['/send/poll', { Phone: 'not-a-number', Question: 'Q', Options: ['a', 'b'], MaxAnswer: 1 }, /^Phone: must be a phone number/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(BOB).length, before, 'nothing reached the contact');
});
