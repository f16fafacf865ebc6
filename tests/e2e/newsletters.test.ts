import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { ChannelView } from '../../emulator/handlers/newsletter-control';
import type { NewsletterInfo, NewsletterPost } from '../../server/services/newsletters/newsletters.service';
import type { WagoEvent } from '../../server/events/types';
import sharp from 'sharp';

const data = (e: WagoEvent) => e.data as Record<string, unknown>;

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;
let own: NewsletterInfo;
let alices: ChannelView;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'channels');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${env.emu.url}/control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, `${method} ${path}: ${res.status}`);
  return (await res.json()) as T;
};
const channel = (jid: string) => control<ChannelView>('GET', `/newsletters/${jid}`);

async function ok<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await env.wago.call<T>(method, path, { token, body });
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body.data!;
}

test('/newsletter/create makes a channel WhatsApp holds, owned by the account', async () => {
  own = await ok<NewsletterInfo>('POST', '/newsletter/create', { Name: 'Shop news', Description: 'Offers and opening hours' });
  assert.match(own.Jid, /^\d+@newsletter$/);
  assert.equal(own.Name, 'Shop news');
  assert.equal(own.Description, 'Offers and opening hours');
  assert.equal(own.Role, 'owner');
  assert.equal(own.Subscribers, 0);
  assert.equal(own.Verification, 'unverified');
  assert.equal(own.InviteLink, `https://whatsapp.com/channel/${own.InviteCode}`);
  assert.ok(own.CreatedAt && Math.abs(own.CreatedAt - Date.now() / 1000) < 120);
  const held = await channel(own.Jid);
  assert.equal(held.owner, OWNER_PHONE);
  assert.equal(held.name, 'Shop news');
  assert.equal(held.invite, own.InviteCode);
});

test('/newsletter/create with Picture (WaGo extension): WhatsApp holds the channel picture, a 640×640 JPEG, and the metadata names it', async () => {
  const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#d02020' } }).png().toBuffer();
  const made = await ok<NewsletterInfo>('POST', '/newsletter/create', { Name: 'With a picture', Picture: `data:image/png;base64,${png.toString('base64')}` });
  assert.ok(made.Picture, 'the answer names the picture');
  assert.match(made.Picture.Id, /^\d+$/);
  assert.ok(made.Picture.DirectPath);
  const held = await channel(made.Jid);
  assert.equal(held.picture?.id, made.Picture.Id);
  const jpeg = Buffer.from(held.picture!.jpeg, 'base64');
  const meta = await sharp(jpeg).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 640, 640]);
  const { dominant } = await sharp(jpeg).stats();
  assert.ok(dominant.r > 150 && dominant.g < 100 && dominant.b < 100, `the picture is the red image (${JSON.stringify(dominant)})`);
  assert.deepEqual((await ok<NewsletterInfo>('POST', '/newsletter/info', { Jid: made.Jid })).Picture, made.Picture, 'the metadata keeps it');

  // plain base64 works too; a channel created without one has none
  const plain = await ok<NewsletterInfo>('POST', '/newsletter/create', { Name: 'Plain base64', Picture: png.toString('base64') });
  assert.ok((await channel(plain.Jid)).picture);
  assert.equal(own.Picture, null);
  assert.equal((await channel(own.Jid)).picture, null);

  const before = (await control<ChannelView[]>('GET', '/newsletters')).length;
  for (const [Picture, message] of [
    ['data:image/png;base64,@@@@', /^Picture: /],
    [`data:text/plain;base64,${Buffer.from('not a picture').toString('base64')}`, /^Picture: /],
    ['', /^Picture: must not be empty/],
  ] as const) {
    const r = await env.wago.call('POST', '/newsletter/create', { token, body: { Name: 'Refused', Picture } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error!, message);
  }
  assert.equal((await control<ChannelView[]>('GET', '/newsletters')).length, before, 'no channel created by a bad picture');
});

test('/newsletter/info by JID and /newsletter/link by code or link find another account\'s channel', async () => {
  alices = await control<ChannelView>('POST', '/newsletters', { owner: ALICE, name: 'Alice daily', description: 'One post a day' });
  const byJid = await ok<NewsletterInfo>('POST', '/newsletter/info', { Jid: alices.jid });
  assert.equal(byJid.Name, 'Alice daily');
  assert.equal(byJid.Role, 'guest');
  assert.equal(byJid.InviteCode, alices.invite);
  assert.deepEqual(await ok('POST', '/newsletter/link', { Key: alices.invite }), byJid);
  assert.deepEqual(await ok('POST', '/newsletter/link', { Key: `https://whatsapp.com/channel/${alices.invite}` }), byJid);
});

test('/newsletter/subscribe follows the channel: WhatsApp has the follower, and /newsletter/list lists it', async () => {
  const r = await ok<NewsletterInfo & { Details: string }>('POST', '/newsletter/subscribe', { Jid: alices.jid });
  assert.equal(r.Details, 'Following the channel');
  assert.equal(r.Role, 'subscriber');
  assert.equal(r.Subscribers, 1);
  assert.deepEqual((await channel(alices.jid)).followers, [OWNER_PHONE]);
  const list = await ok<{ Newsletters: NewsletterInfo[] }>('GET', '/newsletter/list');
  assert.deepEqual(
    list.Newsletters.filter((n) => n.Role !== 'owner' || n.Jid === own.Jid).map((n) => [n.Jid, n.Role]).sort(),
    [[own.Jid, 'owner'], [alices.jid, 'subscriber']].sort(),
  );
});

test('new posts and reactions of a followed channel become Newsletter events; /newsletter/messages pages its posts', async () => {
  const posts: Array<{ serverId: number; id: string }> = [];
  for (const text of ['Good morning', 'Lunch offer', 'Closing early']) posts.push(await control('POST', `/newsletters/${alices.jid}/posts`, { text }));
  const event = await live.next('Newsletter', (e) => data(e).kind === 'message' && data(e).text === 'Closing early');
  assert.equal(data(event).newsletter, alices.jid);
  assert.equal(data(event).serverId, posts[2]!.serverId);
  assert.equal(data(event).id, posts[2]!.id);

  await control('POST', `/newsletters/${alices.jid}/reactions`, { from: '15550002002', serverId: posts[1]!.serverId, code: '👍' });
  const reaction = await live.next('Newsletter', (e) => data(e).kind === 'reaction');
  assert.deepEqual({ ...reaction.data }, { kind: 'reaction', newsletter: alices.jid, serverId: posts[1]!.serverId, code: '👍', count: 1, removed: false });

  const all = await ok<{ Jid: string; Messages: NewsletterPost[] }>('POST', '/newsletter/messages', { Jid: alices.jid });
  assert.equal(all.Jid, alices.jid);
  assert.deepEqual(all.Messages.map((m) => [m.ServerId, m.Text]), posts.map((p, i) => [p.serverId, ['Good morning', 'Lunch offer', 'Closing early'][i]]));
  assert.deepEqual(all.Messages[1]!.Reactions, [{ Code: '👍', Count: 1 }]);
  assert.equal(all.Messages[0]!.Id, posts[0]!.id);
  assert.deepEqual(all.Messages[0]!.Message, { conversation: 'Good morning' });
  const page = await ok<{ Messages: NewsletterPost[] }>('POST', '/newsletter/messages', { Jid: alices.jid, Count: 1, BeforeId: posts[2]!.serverId });
  assert.deepEqual(page.Messages.map((m) => m.Text), ['Lunch offer']);
});

test('unknown channels are 404; bad input is a 400 naming the field and follows nothing', async () => {
  const followersBefore = (await channel(alices.jid)).followers.length;
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['/newsletter/create', {}, 400, /^Name is required/],
    ['/newsletter/create', { Name: '   ' }, 400, /^Name: must not be empty/],
    ['/newsletter/create', { Name: 'x'.repeat(101) }, 400, /^Name: /],
    ['/newsletter/create', { Name: 'Ok', Description: 5 }, 400, /^Description: expected string/],
    ['/newsletter/info', {}, 400, /^Jid is required/],
    ['/newsletter/info', { Jid: ALICE }, 400, /^Jid: must be a channel JID/],
    ['/newsletter/info', { Jid: '120363999999999999@newsletter' }, 404, /^Jid: no such channel/],
    ['/newsletter/link', {}, 400, /^Key is required/],
    ['/newsletter/link', { Key: 'https://example.com/x' }, 400, /^Key: must be a channel invite code or link/],
    ['/newsletter/link', { Key: 'AAAAAAAAAAAAAAAAAAAAAA' }, 404, /^Key: no such channel/],
    ['/newsletter/subscribe', { Jid: 'nope' }, 400, /^Jid: must be a channel JID/],
    ['/newsletter/subscribe', { Jid: '120363999999999999@newsletter' }, 404, /^Jid: no such channel/],
    ['/newsletter/messages', { Jid: alices.jid, Count: 0 }, 400, /^Count: /],
    ['/newsletter/messages', { Jid: alices.jid, Count: 2.5 }, 400, /^Count: must be a whole number/],
    ['/newsletter/messages', { Jid: alices.jid, BeforeId: 'x' }, 400, /^BeforeId: expected number/],
    ['/newsletter/messages', { Jid: '120363999999999999@newsletter' }, 404, /^Jid: no such channel/],
  ];
  for (const [path, body, status, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal((await channel(alices.jid)).followers.length, followersBefore);
  assert.equal((await control<ChannelView[]>('GET', '/newsletters')).length, 4, 'no channel created by bad input');
});
