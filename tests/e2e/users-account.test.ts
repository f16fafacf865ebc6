import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { ContactUpdateData, UserRef, WagoEvent } from '../../server/events/types';
import type { ContactEntry } from '../../server/services/users/contacts.service';
import type { CollectionSync } from '../../server/services/users/appstate.service';
import type { SeenPresence } from '../../emulator/world/users';

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;
const BOB = '15550002002';
const ALICE_JID = `${ALICE}@s.whatsapp.net`;
const BOB_JID = `${BOB}@s.whatsapp.net`;
const lidOf = (phone: string) => `${env.emu.world.getByPhone(phone)!.lid}@lid`;
const owner = () => env.emu.world.getByPhone(OWNER_PHONE)!;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'users-account');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

async function contacts(): Promise<ContactEntry[]> {
  const r = await env.wago.call<{ Contacts: ContactEntry[] }>('GET', '/user/contacts', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!.Contacts;
}

const messageFrom = (phone: string, text: string) => (e: WagoEvent) => (e.data as { from?: UserRef; text?: string }).from?.jid === `${phone}@s.whatsapp.net` && (e.data as { text?: string }).text === text;

test('a sender\'s push name reaches the address book (stored, ContactUpdate with JID and LID) once per name', async () => {
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'hi, it is me' });
  const update = await live.next('ContactUpdate', (e) => (e.data as ContactUpdateData).user.jid === ALICE_JID);
  const data = update.data as ContactUpdateData;
  assert.deepEqual(data.user, { jid: ALICE_JID, lid: lidOf(ALICE) });
  assert.equal(data.pushName, 'Alice');
  assert.equal(data.source, 'message');
  const alice = await waitFor('Alice stored', async () => (await contacts()).find((c) => c.Jid === ALICE_JID && c.PushName === 'Alice'));
  assert.equal(alice.Lid, lidOf(ALICE));
  assert.equal(alice.InAddressBook, false);
  // The same name on the next message is not announced again.
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'second' });
  await live.next('Message', messageFrom(ALICE, 'second'));
  assert.equal(live.events.filter((e) => e.type === 'ContactUpdate' && (e.data as ContactUpdateData).user.jid === ALICE_JID).length, 1);
});

test('/user/block: WhatsApp holds the block, refuses the blocked account\'s messages, and the change is an event; /user/unblock lifts it', async () => {
  const r = await env.wago.call<{ Jid: string; Lid: string; Blocked: boolean }>('POST', '/user/block', { token, body: { Phone: ALICE } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, { Details: 'Contact blocked', Jid: ALICE_JID, Lid: lidOf(ALICE), Blocked: true });
  assert.ok(owner().blocklist.has(ALICE_JID), 'the emulated server holds the block');
  const event = await live.next('BlocklistChange', (e) => (e.data as { action: string }).action === 'block');
  assert.deepEqual(event.data, { action: 'block', users: [{ jid: ALICE_JID, lid: lidOf(ALICE) }] });
  const list = await env.wago.call<{ Users: Array<{ Jid: string; Lid: string }> }>('GET', '/user/blocklist', { token });
  assert.deepEqual(list.body.data!.Users, [{ Jid: ALICE_JID, Lid: lidOf(ALICE) }]);

  // Alice's message while blocked reaches none of the owner's devices, its phone included.
  const inboxBefore = owner().inbox.length;
  const blocked = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'can you hear me?' });
  assert.deepEqual(blocked.encTypes, {}, 'no device of the blocker got a copy');
  assert.equal(owner().inbox.length, inboxBefore);

  const lifted = await env.wago.call<{ Blocked: boolean }>('POST', '/user/unblock', { token, body: { Phone: `+${ALICE}` } });
  assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
  assert.equal(lifted.body.data!.Blocked, false);
  assert.ok(!owner().blocklist.has(ALICE_JID));
  await live.next('BlocklistChange', (e) => (e.data as { action: string }).action === 'unblock');
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'and now?' });
  await live.next('Message', messageFrom(ALICE, 'and now?'));
  // Messages arrive in order: the one sent while blocked was never delivered.
  assert.ok(!live.events.some(messageFrom(ALICE, 'can you hear me?')));
  assert.deepEqual((await env.wago.call<{ Users: unknown[] }>('GET', '/user/blocklist', { token })).body.data!.Users, []);
});

test('a contact who blocked this account gets none of its messages', async () => {
  await fetch(`${env.emu.url}/control/accounts/${ALICE}/blocklist`, { method: 'POST', body: JSON.stringify({ jid: OWNER_PHONE, action: 'block' }) });
  const blocked = await env.wago.call<{ Id: string }>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'are you there?' } });
  assert.equal(blocked.status, 200, 'WhatsApp takes the message (one tick) but does not deliver it');
  await fetch(`${env.emu.url}/control/accounts/${ALICE}/blocklist`, { method: 'POST', body: JSON.stringify({ jid: OWNER_PHONE, action: 'unblock' }) });
  const after = await env.wago.call<{ Id: string }>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'and now?' } });
  await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === after.body.data!.Id });
  assert.ok(!env.emu.control.received(ALICE).some((m) => m.id === blocked.body.data!.Id), 'the message sent while blocked never arrived');
});

test('the phone blocking someone reaches WaGo as a BlocklistChange event', async () => {
  // WhatsApp names the blocked user by LID; the number is known once WaGo looked Bob up.
  assert.equal((await env.wago.call('POST', '/user/check', { token, body: { Phone: [BOB] } })).status, 200);
  await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/blocklist`, { method: 'POST', body: JSON.stringify({ jid: BOB, action: 'block' }) });
  const event = await live.next('BlocklistChange', (e) => (e.data as { users: UserRef[] }).users.some((u) => u.lid === lidOf(BOB)));
  assert.equal((event.data as { action: string }).action, 'block');
  assert.deepEqual((event.data as { users: UserRef[] }).users, [{ jid: BOB_JID, lid: lidOf(BOB) }]);
  await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/blocklist`, { method: 'POST', body: JSON.stringify({ jid: BOB, action: 'unblock' }) });
});

test('/user/name: the phone takes the new push name and contacts see it on the next message', async () => {
  const r = await env.wago.call<{ Name: string }>('POST', '/user/name', { token, body: { Name: 'WaGo Desk' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Name, 'WaGo Desk');
  const mutation = env.emu.control.appState(OWNER_PHONE, { action: 'setting_pushName' }).at(-1);
  assert.equal(mutation?.value.name, 'WaGo Desk');
  assert.equal(owner().name, 'WaGo Desk');
  const sent = await env.wago.call<{ Id: string }>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'new name, same me' } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const [received] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === sent.body.data!.Id });
  assert.equal(received.pushName, 'WaGo Desk');
});

test('/user/presence: contacts subscribed to the account see it go online and offline', async () => {
  await fetch(`${env.emu.url}/control/accounts/${ALICE}/presence-subscriptions`, { method: 'POST', body: JSON.stringify({ to: OWNER_PHONE }) });
  const seen = async () => (await (await fetch(`${env.emu.url}/control/accounts/${ALICE}/presences`)).json()) as SeenPresence[];
  const before = (await seen()).length;
  const on = await env.wago.call<{ Presence: string }>('POST', '/user/presence', { token, body: { Presence: 'available' } });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  const online = await waitFor('online seen', async () => (await seen()).slice(before).find((p) => p.type === 'available'));
  assert.equal(online.from, `${OWNER_PHONE}@s.whatsapp.net`);
  assert.equal(owner().presence, 'available');
  const off = await env.wago.call('POST', '/user/presence', { token, body: { Presence: 'unavailable' } });
  assert.equal(off.status, 200);
  const offline = await waitFor('offline seen', async () => (await seen()).slice(before).find((p) => p.type === 'unavailable'));
  assert.ok(offline.last && offline.last > 0, 'offline carries the last-seen time');
});

test('a contact\'s presence reaches WaGo with both JID and LID', async () => {
  env.emu.control.presence(ALICE, OWNER_PHONE, 'unavailable');
  const event = await live.next('Presence', (e) => (e.data as { from: UserRef }).from.jid === ALICE_JID);
  assert.deepEqual(event.data, { from: { jid: ALICE_JID, lid: lidOf(ALICE) }, presence: 'unavailable', lastSeen: env.emu.world.getByPhone(ALICE)!.lastSeen });
});

test('/user/appstate re-syncs the collections and reports versions and mutations', async () => {
  const r = await env.wago.call<{ Collections: CollectionSync[] }>('GET', '/user/appstate', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const byName = new Map(r.body.data!.Collections.map((c) => [c.Name, c]));
  assert.deepEqual([...byName.keys()].sort(), ['critical_block', 'critical_unblock_low', 'regular', 'regular_high', 'regular_low']);
  // The push name went to critical_block: the resync holds it at the version the emulated server has.
  const block = byName.get('critical_block')!;
  const serverVersion = env.emu.control.appState(OWNER_PHONE, { action: 'setting_pushName' }).at(-1)!.version;
  assert.equal(block.Version, serverVersion);
  assert.ok(block.Mutations >= 1);
  assert.equal(block.Patches, block.Version - block.VersionBefore);
});

test('bad input: 400 naming the field; nothing changes on the phone', async () => {
  const appStateBefore = env.emu.control.appState(OWNER_PHONE).length;
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['/user/block', {}, 400, /^Phone is required/],
    ['/user/block', { Phone: 'abc' }, 400, /^Phone: must be a phone number/],
    ['/user/block', { Phone: '120363000000000000@g.us' }, 400, /^Phone: must be a phone number or a user JID/],
    ['/user/unblock', { Phone: '' }, 400, /^Phone: must not be empty/],
    ['/user/name', {}, 400, /^Name is required/],
    ['/user/name', { Name: '   ' }, 400, /^Name: must not be empty/],
    ['/user/name', { Name: 'x'.repeat(26) }, 400, /^Name: must be at most 25 characters/],
    ['/user/presence', {}, 400, /^Presence is required/],
    ['/user/presence', { Presence: 'away' }, 400, /^Presence: must be available or unavailable/],
    ['/user/block', { Phone: '15559990000' }, 404, /^Phone: .* is not a WhatsApp account/],
  ];
  for (const [path, body, status, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  assert.equal(owner().blocklist.size, 0);
  assert.equal(owner().name, 'WaGo Desk');
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, appStateBefore);
});

test('the address book survives a restart', async () => {
  live.socket.close();
  await env.restart();
  await waitFor('reconnected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data?.Connected);
  const alice = (await contacts()).find((c) => c.Jid === ALICE_JID);
  assert.equal(alice?.PushName, 'Alice');
  live = await listen(env.wago.url, token);
});
