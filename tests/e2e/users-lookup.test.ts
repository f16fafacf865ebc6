import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startEmulatedWago, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { UserInfo, CheckedUser, AvatarAnswer, LidAnswer } from '../../server/services/users/lookup.service';
import type { LimitsAnswer } from '../../server/services/users/limits.service';
import type { PrivacyAnswer } from '../../server/services/users/blocklist.service';
import { KIND_MAX_BYTES } from '../../server/services/messaging/media/media-kinds';
import type { ProfileView } from '../../emulator/handlers/users';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
const NOBODY = '15559990000';

const profile = async (phone: string) => (await (await fetch(`${env.emu.url}/control/accounts/${phone}/profile`)).json()) as ProfileView;

before(async () => {
  env = await startEmulatedWago({ WAGO_MEDIA_MAX_BYTES: String(10 * 1024 * 1024) });
  token = await linkedSession(env, 'users-lookup');
  // Bob is a business account with a picture and a status text.
  await fetch(`${env.emu.url}/control/accounts/${BOB}/business`, { method: 'PUT', body: JSON.stringify({ name: 'Bob Bikes Ltd' }) });
  env.emu.control.updateAccount(BOB, { statusText: 'Fixing bikes since 1999' });
  const picture = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } }).jpeg().toBuffer();
  await fetch(`${env.emu.url}/control/accounts/${BOB}/picture`, { method: 'PUT', body: JSON.stringify({ data: picture.toString('base64') }) });
});
after(async () => {
  await env?.stop();
});

test('/user/info gives status, picture id, devices, verified name, JID and LID of each user', async () => {
  const alice = env.emu.world.getByPhone(ALICE)!;
  const bob = env.emu.world.getByPhone(BOB)!;
  const r = await env.wago.call<{ Users: UserInfo[] }>('POST', '/user/info', { token, body: { Phone: [ALICE, `${BOB}@s.whatsapp.net`, `${alice.lid}@lid`] } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [a, b, byLid] = r.body.data!.Users;
  assert.equal(a.Jid, `${ALICE}@s.whatsapp.net`);
  assert.equal(a.Lid, `${alice.lid}@lid`);
  assert.equal(a.Status, alice.statusText);
  assert.equal(a.PictureId, null);
  assert.equal(a.VerifiedName, null);
  assert.deepEqual(a.Devices, [`${ALICE}@s.whatsapp.net`]);
  assert.equal(b.Query, `${BOB}@s.whatsapp.net`);
  assert.equal(b.Lid, `${bob.lid}@lid`);
  assert.equal(b.Status, 'Fixing bikes since 1999');
  assert.equal(b.VerifiedName, 'Bob Bikes Ltd');
  assert.ok(b.PictureId, 'Bob has a picture');
  // The owner's own devices include this linked session.
  const own = await env.wago.call<{ Users: UserInfo[] }>('POST', '/user/info', { token, body: { Phone: [OWNER_PHONE] } });
  const linked = env.emu.world.linkedDevices(env.emu.world.getByPhone(OWNER_PHONE)!).map((d) => `${OWNER_PHONE}:${d.id}@s.whatsapp.net`);
  assert.deepEqual(own.body.data!.Users[0].Devices, [`${OWNER_PHONE}@s.whatsapp.net`, ...linked]);
  // Asked by LID: the phone number comes back too.
  assert.equal(byLid.Lid, `${alice.lid}@lid`);
  assert.equal(byLid.Jid, `${ALICE}@s.whatsapp.net`);
});

test('/user/check tells which numbers are on WhatsApp, with JID and LID', async () => {
  const r = await env.wago.call<{ Users: CheckedUser[] }>('POST', '/user/check', { token, body: { Phone: [`+${ALICE}`, NOBODY] } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data!.Users, [
    { Query: `+${ALICE}`, IsInWhatsapp: true, Jid: `${ALICE}@s.whatsapp.net`, Lid: `${env.emu.world.getByPhone(ALICE)!.lid}@lid` },
    { Query: NOBODY, IsInWhatsapp: false, Jid: `${NOBODY}@s.whatsapp.net`, Lid: null },
  ]);
  // The answers serve the check every send makes: sends right after ask WhatsApp nothing more.
  const queries = env.emu.context.stats.usyncContactQueries;
  const refused = await env.wago.call('POST', '/send/text', { token, body: { Phone: NOBODY, Body: 'hello?' } });
  assert.equal(refused.status, 404, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'Phone: not on WhatsApp');
  const sent = await env.wago.call('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'checked first' } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(env.emu.context.stats.usyncContactQueries, queries, 'no usync contact query after /user/check');
});

test('avatars: a user\'s picture URL serves its bytes; no picture is a 404; /user/profile sets the own picture', async () => {
  const bob = await env.wago.call<AvatarAnswer>('POST', '/user/avatar', { token, body: { Phone: BOB, Preview: true } });
  assert.equal(bob.status, 200, JSON.stringify(bob.body));
  assert.equal(bob.body.data!.Type, 'preview');
  assert.equal(bob.body.data!.Id, (await profile(BOB)).pictureId);
  const served = Buffer.from(await (await fetch(bob.body.data!.Url)).arrayBuffer());
  assert.ok(served.equals(env.emu.world.getByPhone(BOB)!.picture!), 'the URL serves Bob\'s picture');

  const none = await env.wago.call('POST', '/user/avatar', { token, body: { Phone: ALICE, Preview: false } });
  assert.equal(none.status, 404, JSON.stringify(none.body));
  assert.match(none.body.error!, /^Phone: .* has no profile picture/);
  assert.equal((await env.wago.call('GET', '/user/avatar', { token })).status, 404, 'no own picture yet');

  const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: 'red' } }).png().toBuffer();
  const set = await env.wago.call<{ PictureId: string; Jid: string }>('POST', '/user/profile', { token, body: { Image: `data:image/png;base64,${png.toString('base64')}` } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const owner = await profile(OWNER_PHONE);
  assert.equal(set.body.data!.PictureId, owner.pictureId);
  const stored = await sharp(Buffer.from(owner.picture!, 'base64')).metadata();
  assert.deepEqual([stored.format, stored.width, stored.height], ['jpeg', 640, 640], 'the phone holds a 640×640 JPEG');

  const mine = await env.wago.call<AvatarAnswer>('GET', '/user/avatar', { token });
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.data!.Id, owner.pictureId);
  assert.equal(mine.body.data!.Type, 'image');
  assert.equal(mine.body.data!.Jid, `${OWNER_PHONE}@s.whatsapp.net`);
});

test('/user/parselid answers from the stored mapping, else asks WhatsApp; unknown everywhere is a 404', async () => {
  const carol = env.emu.control.createAccount({ phone: '15550007777', name: 'Carol Two' });
  const first = await env.wago.call<LidAnswer>('POST', '/user/parselid', { token, body: { LID: carol.lid } });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body.data, { Lid: carol.lid, Jid: '15550007777@s.whatsapp.net', Source: 'whatsapp' });
  const again = await env.wago.call<LidAnswer>('POST', '/user/parselid', { token, body: { LID: carol.lid.replace('@lid', '') } });
  assert.equal(again.body.data!.Source, 'stored');
  const unknown = await env.wago.call('POST', '/user/parselid', { token, body: { LID: '999999999999999@lid' } });
  assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
  assert.match(unknown.body.error!, /^LID: WhatsApp knows no phone number/);
});

test('/user/limits reports the limits the code enforces; /user/privacy the phone\'s settings', async () => {
  const r = await env.wago.call<LimitsAnswer>('GET', '/user/limits', { token });
  assert.equal(r.status, 200);
  const limits = r.body.data!;
  assert.equal(limits.ConfiguredMediaMaxBytes, 10 * 1024 * 1024);
  assert.equal(limits.MediaMaxBytes.image, Math.min(KIND_MAX_BYTES.image, 10 * 1024 * 1024));
  assert.equal(limits.MediaMaxBytes.document, 10 * 1024 * 1024);
  assert.equal(limits.BodyMaxBytes, 32 * 1024 * 1024);
  assert.equal(limits.SendRatePerSecond, null);
  // The enforced limit is the reported one: a picture one byte over the image limit is refused.
  const over = Buffer.alloc(limits.MediaMaxBytes.image + 1, 1).toString('base64');
  const refused = await env.wago.call('POST', '/user/profile', { token, body: { Image: over } });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error!, /^Image: /);

  env.emu.world.getByPhone(OWNER_PHONE)!.privacy.last = 'contacts';
  const privacy = await env.wago.call<PrivacyAnswer>('GET', '/user/privacy', { token });
  assert.equal(privacy.status, 200, JSON.stringify(privacy.body));
  assert.equal(privacy.body.data!.LastSeen, 'contacts');
  assert.equal(privacy.body.data!.ReadReceipts, 'all');
  assert.equal(privacy.body.data!.Categories.groupadd, 'all');
});

test('bad input: 400 naming the field; the phone\'s picture is unchanged', async () => {
  const pictureBefore = (await profile(OWNER_PHONE)).pictureId;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/user/info', {}, /^Phone is required/],
    ['/user/info', { Phone: ALICE }, /^Phone: expected array/],
    ['/user/info', { Phone: [] }, /^Phone: must list at least one number/],
    ['/user/info', { Phone: [ALICE, '12'] }, /^Phone\[1\]: must have 7 to 15 digits/],
    ['/user/info', { Phone: ['120363000000000000@g.us'] }, /^Phone\[0\]: must be a phone number or a user JID/],
    ['/user/check', { Phone: ['x@lid'] }, /^Phone\[0\]: must be a phone number/],
    ['/user/avatar', { Phone: ALICE }, /^Preview is required/],
    ['/user/avatar', { Phone: 'nope', Preview: true }, /^Phone: must be a phone number/],
    ['/user/parselid', {}, /^LID is required/],
    ['/user/parselid', { LID: `${ALICE}@s.whatsapp.net` }, /^LID: must be a LID/],
    ['/user/profile', {}, /^Image is required/],
    ['/user/profile', { Image: 'ftp://example.org/a.png' }, /^Image: must be a base64 data URL/],
    ['/user/profile', { Image: Buffer.from('not a picture at all').toString('base64') }, /^Image: /],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  assert.equal((await profile(OWNER_PHONE)).pictureId, pictureBefore);
});

test('a user route on a session that is not connected answers 409', async () => {
  const init = await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'idle' } });
  const idle = init.body.data!.token;
  const r = await env.wago.call('POST', '/user/check', { token: idle, body: { Phone: [ALICE] } });
  assert.equal(r.status, 409);
  assert.match(r.body.error!, /not connected/);
});
