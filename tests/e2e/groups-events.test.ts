import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';
import { dataUrl, png } from '../fixtures/media/generate';
import type { GroupInfo } from '../../server/services/groups/group-view';
import type { GroupParticipantsData, GroupUpdateData, WagoEvent } from '../../server/events/types';

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;
const BOB = '15550002002';
const CAROL = '15550002003';
const pn = (phone: string) => `${phone}@s.whatsapp.net`;
const lid = (phone: string) => `${env.emu.world.getByPhone(phone)!.lid}@lid`;
const queries = () => env.emu.context.stats.groupMetadataQueries;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'group-events');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

const call = <T>(method: string, path: string, body?: unknown) => env.wago.call<T>(method, path, { token, body });
const info = async (jid: string) => {
  const r = await call<GroupInfo>('POST', '/group/info', { GroupJID: jid });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!;
};
const update = (group: string, pred: (d: GroupUpdateData) => boolean) =>
  live.next('GroupUpdate', (e) => (e as WagoEvent<'GroupUpdate'>).data.group === group && pred((e as WagoEvent<'GroupUpdate'>).data)) as Promise<WagoEvent<'GroupUpdate'>>;
const participants = (group: string, action: string) =>
  live.next('GroupParticipants', (e) => (e as WagoEvent<'GroupParticipants'>).data.group === group && (e as WagoEvent<'GroupParticipants'>).data.action === action) as Promise<WagoEvent<'GroupParticipants'>>;

test('a burst of 50 sends to a group WaGo never saw makes one metadata query, and every member decrypts all 50', async () => {
  // Put straight into the emulated world: no notification reaches WaGo, so its cache starts cold.
  const world = env.emu.world;
  const group = world.groups.create(world.getByPhone(OWNER_PHONE)!, 'Burst', [world.getByPhone(ALICE)!, world.getByPhone(BOB)!]);
  const before = queries();
  const sends = await Promise.all(Array.from({ length: 50 }, (_, i) => call<SendAnswer>('POST', '/send/text', { Phone: group.jid, Body: `burst ${i}` })));
  for (const r of sends) assert.equal(r.status, 200, JSON.stringify(r.body));
  const ids = new Set(sends.map((r) => r.body.data!.Id));
  assert.equal(ids.size, 50);
  for (const phone of [ALICE, BOB]) {
    const got = await env.emu.control.waitForReceived(phone, { count: 50, predicate: (m) => m.group === group.jid && ids.has(m.id), timeoutMs: 60_000 });
    assert.deepEqual(new Set(got.map((m) => m.text)), new Set(Array.from({ length: 50 }, (_, i) => `burst ${i}`)), phone);
  }
  assert.equal(queries() - before, 1, 'one metadata query for the whole burst');

  // Another burst: the metadata is cached (in memory and in PostgreSQL), no query at all.
  const again = await Promise.all(Array.from({ length: 10 }, (_, i) => call<SendAnswer>('POST', '/send/text', { Phone: group.jid, Body: `again ${i}` })));
  for (const r of again) assert.equal(r.status, 200, JSON.stringify(r.body));
  await env.emu.control.waitForReceived(BOB, { count: 10, predicate: (m) => m.group === group.jid && (m.text ?? '').startsWith('again '), timeoutMs: 30_000 });
  assert.equal(queries() - before, 1);
});

test('a member adds someone and renames the group: events name users by JID and LID, and /group/info follows without a query', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Book club', [OWNER_PHONE, BOB]);
  const created = await update(group.jid, (d) => d.created === true);
  assert.equal(created.data.subject, 'Book club');
  assert.deepEqual(created.data.author, { jid: pn(ALICE), lid: lid(ALICE) });
  await info(group.jid); // from the create notification: cached already
  const before = queries();

  env.emu.control.groupParticipants(group.jid, ALICE, 'add', [CAROL]);
  const added = await participants(group.jid, 'add');
  assert.deepEqual(added.data.participants, [{ jid: pn(CAROL), lid: lid(CAROL) }]);
  assert.deepEqual(added.data.author, { jid: pn(ALICE), lid: lid(ALICE) });

  env.emu.control.changeGroup(group.jid, ALICE, { subject: 'Reading circle' });
  const renamed = await update(group.jid, (d) => d.subject !== undefined && !d.created);
  assert.equal(renamed.data.subject, 'Reading circle');
  assert.deepEqual(renamed.data.author, { jid: pn(ALICE), lid: lid(ALICE) });

  const now = await info(group.jid);
  assert.equal(now.Name, 'Reading circle');
  assert.ok(now.Participants.some((p) => p.JID === pn(CAROL) && p.LID === lid(CAROL)), JSON.stringify(now.Participants));
  assert.equal(now.Size, 4);

  env.emu.control.groupParticipants(group.jid, ALICE, 'promote', [OWNER_PHONE]);
  const promoted = await participants(group.jid, 'promote');
  assert.deepEqual(promoted.data.participants, [{ jid: pn(OWNER_PHONE), lid: lid(OWNER_PHONE) }]);
  env.emu.control.groupParticipants(group.jid, ALICE, 'remove', [BOB]);
  const removed = await participants(group.jid, 'remove');
  assert.deepEqual(removed.data.participants, [{ jid: pn(BOB), lid: lid(BOB) }]);
  const later = await info(group.jid);
  assert.ok(later.Participants.find((p) => p.JID === pn(OWNER_PHONE))?.IsAdmin);
  assert.ok(!later.Participants.some((p) => p.JID === pn(BOB)));
  assert.equal(queries(), before, 'no metadata query: the notifications kept the cache current');
});

test('settings, description, disappearing timer and picture changes become GroupUpdate events and reach the cache', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Settings club', [OWNER_PHONE]);
  await update(group.jid, (d) => d.created === true);
  const before = queries();
  env.emu.control.changeGroup(group.jid, ALICE, { description: 'About us', announce: true, locked: true });
  assert.equal((await update(group.jid, (d) => d.description !== undefined)).data.description, 'About us');
  assert.equal((await update(group.jid, (d) => d.announce !== undefined)).data.announce, true);
  assert.equal((await update(group.jid, (d) => d.locked !== undefined)).data.locked, true);

  // The timer and the picture, set through WaGo (own changes come back as notifications too).
  env.emu.control.groupParticipants(group.jid, ALICE, 'promote', [OWNER_PHONE]);
  await participants(group.jid, 'promote');
  const timer = await call('POST', '/chat/disappearing-timer', { phone: group.jid, timer: '7d' });
  assert.equal(timer.status, 200, JSON.stringify(timer.body));
  const ephemeral = await update(group.jid, (d) => d.ephemeral !== undefined);
  assert.equal(ephemeral.data.ephemeral, 604_800);
  assert.deepEqual(ephemeral.data.author, { jid: pn(OWNER_PHONE), lid: lid(OWNER_PHONE) });
  const photo = await call('POST', '/group/photo', { GroupJID: group.jid, Image: dataUrl('image/png', await png()) });
  assert.equal(photo.status, 200, JSON.stringify(photo.body));
  const picture = await update(group.jid, (d) => d.picture !== undefined);
  assert.equal(picture.data.picture!.id, env.emu.control.group(group.jid).picture!.id);
  assert.equal(picture.data.author?.lid, lid(OWNER_PHONE));

  const now = await info(group.jid);
  assert.equal(now.Topic, 'About us');
  assert.equal(now.IsAnnounce, true);
  assert.equal(now.IsLocked, true);
  assert.equal(now.EphemeralSeconds, 604_800);
  assert.equal(queries(), before);
});

test('the cached metadata survives a restart (PostgreSQL): /group/info answers without a query', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Durable', [OWNER_PHONE, BOB]);
  await update(group.jid, (d) => d.created === true);
  await waitFor('stored', async () => (await info(group.jid)).Name === 'Durable');
  live.socket.close();
  await env.restart();
  await waitFor('reconnected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data?.Connected);
  live = await listen(env.wago.url, token);
  const before = queries();
  const after = await info(group.jid);
  assert.equal(after.Name, 'Durable');
  assert.equal(after.Participants.length, 3);
  assert.equal(queries(), before);
});

test('the stored group metadata is kept per group in PostgreSQL and dropped on logout', async () => {
  const client = new pg.Client({ connectionString: env.db.url });
  await client.connect();
  try {
    const rows = async () => (await client.query<{ n: string }>('SELECT count(*) AS n FROM group_metadata')).rows[0]!.n;
    assert.ok(Number(await rows()) >= 4, 'every group this file used is stored');
    const logout = await env.wago.call('POST', '/session/logout', { token });
    assert.equal(logout.status, 200, JSON.stringify(logout.body));
    assert.equal(await rows(), '0');
  } finally {
    await client.end();
  }
});
