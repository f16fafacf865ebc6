import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { ContactUpdateData } from '../../server/events/types';
import type { ContactEntry } from '../../server/services/users/contacts.service';
import type { BroadcastListAnswer } from '../../server/services/users/broadcast.service';

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;
const BOB = '15550002002';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const lidOf = (phone: string) => `${env.emu.world.getByPhone(phone)!.lid}@lid`;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'contacts');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

async function contact(jid: string): Promise<ContactEntry | undefined> {
  const r = await env.wago.call<{ Contacts: ContactEntry[] }>('GET', '/user/contacts', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!.Contacts.find((c) => c.Jid === jid);
}

test('/contact/add saves the contact in the phone\'s app state and in the address book', async () => {
  const r = await env.wago.call('POST', '/contact/add', { token, body: { Phone: BOB, FirstName: 'Bob', FullName: 'Bob the Builder', SaveOnBook: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, { Details: 'Contact saved', Jid: BOB_JID, Lid: lidOf(BOB) });
  const m = env.emu.control.appState(OWNER_PHONE, { action: 'contact', chat: BOB_JID }).at(-1)!;
  assert.equal(m.operation, 'set');
  assert.equal(m.collection, 'critical_unblock_low');
  assert.deepEqual(m.index, ['contact', BOB_JID]);
  assert.equal(m.value.fullName, 'Bob the Builder');
  assert.equal(m.value.firstName, 'Bob');
  assert.equal(m.value.saveOnPrimaryAddressbook, true);
  assert.equal(m.value.lidJid, lidOf(BOB));
  const stored = await contact(BOB_JID);
  assert.equal(stored?.FullName, 'Bob the Builder');
  assert.equal(stored?.FirstName, 'Bob');
  assert.equal(stored?.InAddressBook, true);
  assert.equal(stored?.Lid, lidOf(BOB));
  // The saved contact is announced like any contact the phone pushes.
  const event = await live.next('ContactUpdate', (e) => (e.data as ContactUpdateData).fullName === 'Bob the Builder');
  assert.deepEqual((event.data as ContactUpdateData).user, { jid: BOB_JID, lid: lidOf(BOB) });
  assert.equal((event.data as ContactUpdateData).savedInAddressBook, true);
});

test('/contact/add with SaveOnBook false and only a first name; /contact/remove removes it from the phone and the book', async () => {
  const r = await env.wago.call('POST', '/contact/add', { token, body: { Phone: `+${ALICE}`, FirstName: 'Ally', SaveOnBook: false } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const m = env.emu.control.appState(OWNER_PHONE, { action: 'contact', chat: ALICE }).at(-1)!;
  assert.equal(m.value.fullName, 'Ally');
  assert.equal(m.value.saveOnPrimaryAddressbook, false);

  const removed = await env.wago.call('POST', '/contact/remove', { token, body: { Phone: BOB } });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.deepEqual(removed.body.data, { Details: 'Contact removed', Jid: BOB_JID, Lid: lidOf(BOB) });
  const last = env.emu.control.appState(OWNER_PHONE, { action: 'contact', chat: BOB_JID }).at(-1)!;
  assert.equal(last.operation, 'remove');
  assert.deepEqual(last.index, ['contact', BOB_JID]);
  const bob = await waitFor('Bob out of the book', async () => {
    const c = await contact(BOB_JID);
    return c && !c.InAddressBook ? c : undefined;
  });
  assert.equal(bob.FullName, null);
  assert.equal((await contact(`${ALICE}@s.whatsapp.net`))?.FullName, 'Ally');
});

test('a contact saved on another device of the account reaches this session\'s address book through the app-state sync', async () => {
  const other = await linkedSession(env, 'contacts-other-device');
  const CAROL = '15550002003';
  const r = await env.wago.call('POST', '/contact/add', { token: other, body: { Phone: CAROL, FullName: 'Carol Saved Elsewhere' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const event = await live.next('ContactUpdate', (e) => (e.data as ContactUpdateData).fullName === 'Carol Saved Elsewhere');
  assert.deepEqual((event.data as ContactUpdateData).user, { jid: `${CAROL}@s.whatsapp.net`, lid: lidOf(CAROL) });
  assert.equal((event.data as ContactUpdateData).source, 'contacts');
  const carol = await waitFor('Carol in this session\'s book', async () => contact(`${CAROL}@s.whatsapp.net`));
  assert.equal(carol.FullName, 'Carol Saved Elsewhere');
  assert.equal(carol.InAddressBook, true);
});

test('/broadcast/listparticipants answers the recipients WhatsApp holds for the account\'s list; another account\'s list is a 404', async () => {
  const res = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/broadcast-lists`, { method: 'POST', body: JSON.stringify({ name: 'Customers', recipients: [ALICE, BOB] }) });
  const list = (await res.json()) as { jid: string; id: string };
  const r = await env.wago.call<BroadcastListAnswer>('POST', '/broadcast/listparticipants', { token, body: { ID: list.jid } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, {
    ID: list.jid,
    Name: 'Customers',
    Participants: [
      { Jid: `${ALICE}@s.whatsapp.net`, Lid: lidOf(ALICE) },
      { Jid: BOB_JID, Lid: lidOf(BOB) },
    ],
  });
  // By bare id too.
  assert.equal((await env.wago.call<BroadcastListAnswer>('POST', '/broadcast/listparticipants', { token, body: { ID: list.id } })).body.data!.ID, list.jid);

  const foreign = (await (await fetch(`${env.emu.url}/control/accounts/${ALICE}/broadcast-lists`, { method: 'POST', body: JSON.stringify({ name: 'Alice list', recipients: [BOB] }) })).json()) as { jid: string };
  const refused = await env.wago.call('POST', '/broadcast/listparticipants', { token, body: { ID: foreign.jid } });
  assert.equal(refused.status, 404, JSON.stringify(refused.body));
  assert.match(refused.body.error!, /^ID: this account has no broadcast list/);
});

test('bad input: 400 naming the field; nothing is synced', async () => {
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/contact/add', {}, /^Phone is required/],
    ['/contact/add', { Phone: BOB }, /^FullName is required \(or FirstName\)/],
    ['/contact/add', { Phone: BOB, FullName: '  ' }, /^FullName is required/],
    ['/contact/add', { Phone: 'bob', FullName: 'Bob' }, /^Phone: must be a phone number/],
    ['/contact/add', { Phone: BOB, FullName: 'Bob', SaveOnBook: 'yes' }, /^SaveOnBook: expected boolean/],
    ['/contact/add', { Phone: '120363000000000000@g.us', FullName: 'Group' }, /^Phone: must be a phone number or a user JID/],
    ['/contact/remove', {}, /^Phone is required/],
    ['/contact/remove', { Phone: 42 }, /^Phone: expected string/],
    ['/broadcast/listparticipants', {}, /^ID is required/],
    ['/broadcast/listparticipants', { ID: 'status@broadcast' }, /^ID: must be a broadcast list JID/],
    ['/broadcast/listparticipants', { ID: `${ALICE}@s.whatsapp.net` }, /^ID: must be a broadcast list JID/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
});
