import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { LabelUpdateData } from '../../server/events/types';
import type { PhoneLabels } from '../../emulator/handlers/labels';
import { getRuntime } from '../../server/runtime/registry';

let env: EmulatedWago;
let token: string;
let sessionId: string;
let live: Awaited<ReturnType<typeof listen>>;
let messageId: string;
const ALICE_JID = `${ALICE}@s.whatsapp.net`;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'labels');
  // Labels are a WhatsApp Business feature: the linked account is a business.
  assert.equal((await business({ name: 'Owner Shop', description: 'Orders' })).status, 200);
  live = await listen(env.wago.url, token);
  sessionId = (await getRuntime().prisma.session.findFirstOrThrow({ where: { name: 'labels' } })).id;
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'I would like to order' });
  messageId = sent.id;
  await waitFor('stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: sent.id } })).status === 200);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

function business(profile: { name: string | null; description?: string }): Promise<Response> {
  return fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/business`, { method: 'PUT', body: JSON.stringify(profile) });
}

async function phone(): Promise<PhoneLabels> {
  const res = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/labels`);
  assert.equal(res.status, 200);
  return (await res.json()) as PhoneLabels;
}
const stored = () => getRuntime().prisma.label.findMany({ where: { sessionId }, orderBy: { labelId: 'asc' } });
const storedLinks = () => getRuntime().prisma.labelAssociation.findMany({ where: { sessionId }, orderBy: [{ labelId: 'asc' }, { messageId: 'asc' }] });

async function ok<T>(path: string, body: unknown): Promise<T> {
  const r = await env.wago.call<T>('POST', path, { token, body });
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body.data!;
}

test('/label/edit creates a label the phone\'s app state holds and the session stores; a second call renames it', async () => {
  assert.deepEqual(await ok('/label/edit', { LabelId: '1', Name: 'New customer', Color: 3 }), { Details: 'Label created', LabelId: '1', Name: 'New customer', Color: 3, Deleted: false });
  const m = env.emu.control.appState(OWNER_PHONE, { action: 'label_edit' }).at(-1)!;
  assert.equal(m.collection, 'regular');
  assert.deepEqual(m.index, ['label_edit', '1']);
  assert.deepEqual((await phone()).labels, [{ id: '1', name: 'New customer', color: 3, deleted: false }]);
  const [label] = await stored();
  assert.deepEqual({ id: label!.labelId, name: label!.name, color: label!.color, deleted: label!.deleted }, { id: '1', name: 'New customer', color: 3, deleted: false });

  // Renaming keeps the colour.
  assert.deepEqual(await ok('/label/edit', { LabelId: '1', Name: 'Customer' }), { Details: 'Label edited', LabelId: '1', Name: 'Customer', Color: 3, Deleted: false });
  assert.deepEqual((await phone()).labels, [{ id: '1', name: 'Customer', color: 3, deleted: false }]);
  assert.equal((await stored())[0]!.name, 'Customer');
  const event = await live.next('LabelUpdate', (e) => (e.data as LabelUpdateData).name === 'Customer');
  assert.deepEqual(event.data, { kind: 'edit', labelId: '1', name: 'Customer', color: 3, predefinedId: null, deleted: false, labeled: null, chat: null, messageId: null });
});

test('/label/chat and /unlabel/chat put the label on the chat and take it off, on the phone and in the store', async () => {
  assert.deepEqual(await ok('/label/chat', { Jid: `+${ALICE}`, LabelId: '1' }), { Details: 'Chat labelled', LabelId: '1', Jid: ALICE_JID, MessageId: null });
  const m = env.emu.control.appState(OWNER_PHONE, { action: 'label_jid' }).at(-1)!;
  assert.deepEqual(m.index, ['label_jid', '1', ALICE_JID]);
  assert.equal(m.value.labeled, true);
  assert.deepEqual((await phone()).chats, [{ labelId: '1', chat: ALICE_JID }]);
  assert.deepEqual((await storedLinks()).map((l) => [l.labelId, l.chatJid, l.messageId]), [['1', ALICE_JID, '']]);

  assert.deepEqual(await ok('/unlabel/chat', { Jid: ALICE, LabelId: '1' }), { Details: 'Chat unlabelled', LabelId: '1', Jid: ALICE_JID, MessageId: null });
  assert.equal(env.emu.control.appState(OWNER_PHONE, { action: 'label_jid' }).at(-1)!.value.labeled, false);
  assert.deepEqual((await phone()).chats, []);
  assert.deepEqual(await storedLinks(), []);
});

test('/label/message and /unlabel/message label one message of the chat', async () => {
  assert.deepEqual(await ok('/label/message', { Jid: ALICE, LabelId: '1', MessageId: messageId }), { Details: 'Message labelled', LabelId: '1', Jid: ALICE_JID, MessageId: messageId });
  const m = env.emu.control.appState(OWNER_PHONE, { action: 'label_message' }).at(-1)!;
  assert.deepEqual(m.index, ['label_message', '1', ALICE_JID, messageId, '0', '0']);
  assert.deepEqual((await phone()).messages, [{ labelId: '1', chat: ALICE_JID, messageId }]);
  assert.deepEqual((await storedLinks()).map((l) => [l.labelId, l.chatJid, l.messageId]), [['1', ALICE_JID, messageId]]);
  const event = await live.next('LabelUpdate', (e) => (e.data as LabelUpdateData).kind === 'message' && (e.data as LabelUpdateData).labeled === true);
  assert.deepEqual((event.data as LabelUpdateData).chat, { jid: ALICE_JID, lid: `${env.emu.world.getByPhone(ALICE)!.lid}@lid` });
  assert.equal((event.data as LabelUpdateData).messageId, messageId);

  assert.equal((await ok<{ Details: string }>('/unlabel/message', { Jid: ALICE, LabelId: '1', MessageId: messageId })).Details, 'Message unlabelled');
  assert.deepEqual((await phone()).messages, []);
  assert.deepEqual(await storedLinks(), []);
});

test('labels made on the phone reach the session as LabelUpdate events and are stored', async () => {
  const post = (body: unknown) => fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/labels`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post({ kind: 'edit', id: '7', name: 'VIP', color: 9 })).status, 200);
  const edit = await live.next('LabelUpdate', (e) => (e.data as LabelUpdateData).labelId === '7' && (e.data as LabelUpdateData).kind === 'edit');
  assert.deepEqual(edit.data, { kind: 'edit', labelId: '7', name: 'VIP', color: 9, predefinedId: null, deleted: false, labeled: null, chat: null, messageId: null });
  assert.equal((await post({ kind: 'chat', labelId: '7', chat: ALICE })).status, 200);
  const chat = await live.next('LabelUpdate', (e) => (e.data as LabelUpdateData).labelId === '7' && (e.data as LabelUpdateData).kind === 'chat');
  assert.deepEqual((chat.data as LabelUpdateData).chat, { jid: ALICE_JID, lid: `${env.emu.world.getByPhone(ALICE)!.lid}@lid` });
  assert.equal((chat.data as LabelUpdateData).labeled, true);
  await waitFor('the phone\'s label stored', async () => (await storedLinks()).some((l) => l.labelId === '7' && l.chatJid === ALICE_JID));
  const vip = (await stored()).find((l) => l.labelId === '7')!;
  assert.equal(vip.name, 'VIP');
  assert.equal(vip.color, 9);
  // The session can use a label the phone made.
  assert.equal((await ok<{ Details: string }>('/unlabel/chat', { Jid: ALICE, LabelId: '7' })).Details, 'Chat unlabelled');
  assert.deepEqual((await phone()).chats, []);
});

test('/label/edit with Action true deletes the label on the phone and in the store; it can no longer be used', async () => {
  assert.deepEqual(await ok('/label/edit', { LabelId: '1', Action: true }), { Details: 'Label deleted', LabelId: '1', Name: 'Customer', Color: 3, Deleted: true });
  assert.deepEqual((await phone()).labels.find((l) => l.id === '1'), { id: '1', name: 'Customer', color: 3, deleted: true });
  assert.equal((await stored()).find((l) => l.labelId === '1')!.deleted, true);
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const r = await env.wago.call('POST', '/label/chat', { token, body: { Jid: ALICE, LabelId: '1' } });
  assert.equal(r.status, 404, JSON.stringify(r.body));
  assert.match(r.body.error!, /^LabelId: this account has no label 1/);
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
});

test('bad input: 400 naming the field; unknown labels 404; nothing is synced or stored', async () => {
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const storedBefore = JSON.stringify([await stored(), await storedLinks()]);
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['/label/chat', {}, 400, /^Jid is required/],
    ['/label/chat', { Jid: ALICE }, 400, /^LabelId is required/],
    ['/label/chat', { Jid: ALICE, LabelId: 'a b' }, 400, /^LabelId: may contain only/],
    ['/label/chat', { Jid: 'nobody', LabelId: '7' }, 400, /^Jid: /],
    ['/label/chat', { Jid: '120363000000000001@newsletter', LabelId: '7' }, 400, /^Jid: must be a chat/],
    ['/label/chat', { Jid: ALICE, LabelId: '99' }, 404, /^LabelId: this account has no label 99/],
    ['/label/message', { Jid: ALICE, LabelId: '7' }, 400, /^MessageId is required/],
    ['/label/message', { Jid: ALICE, LabelId: '7', MessageId: 'x y' }, 400, /^MessageId: may contain only/],
    ['/unlabel/message', { LabelId: '7', MessageId: 'ABC' }, 400, /^Jid is required/],
    ['/unlabel/chat', { Jid: ALICE, LabelId: 7 }, 400, /^LabelId: expected string/],
    ['/label/edit', {}, 400, /^LabelId is required/],
    ['/label/edit', { LabelId: '30' }, 400, /^Name is required to create a label/],
    ['/label/edit', { LabelId: '30', Name: '  ' }, 400, /^Name: must not be empty/],
    ['/label/edit', { LabelId: '30', Name: 'X', Color: 20 }, 400, /^Color: /],
    ['/label/edit', { LabelId: '30', Name: 'X', Color: 1.5 }, 400, /^Color: must be a whole number/],
    ['/label/edit', { LabelId: '30', Action: 'delete' }, 400, /^Action: expected boolean/],
    ['/label/edit', { LabelId: '30', Action: true }, 404, /^LabelId: this account has no label 30/],
  ];
  for (const [path, body, status, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
  assert.equal(JSON.stringify([await stored(), await storedLinks()]), storedBefore);
});

test('a personal account is refused with 403 on every label route; nothing changes on the phone or in the store', async () => {
  assert.equal((await ok<{ Details: string }>('/label/edit', { LabelId: '40', Name: 'Kept' })).Details, 'Label created');
  assert.equal((await business({ name: null })).status, 200);
  try {
    const before = env.emu.control.appState(OWNER_PHONE).length;
    const phoneBefore = await phone();
    const storedBefore = JSON.stringify([await stored(), await storedLinks()]);
    const cases: Array<[string, unknown]> = [
      ['/label/edit', { LabelId: '41', Name: 'New' }],
      ['/label/edit', { LabelId: '40', Action: true }],
      ['/label/chat', { Jid: ALICE, LabelId: '40' }],
      ['/unlabel/chat', { Jid: ALICE, LabelId: '40' }],
      ['/label/message', { Jid: ALICE, LabelId: '40', MessageId: messageId }],
      ['/unlabel/message', { Jid: ALICE, LabelId: '40', MessageId: messageId }],
    ];
    for (const [path, body] of cases) {
      const r = await env.wago.call('POST', path, { token, body });
      assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error!, /not a WhatsApp Business account/, path);
    }
    assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
    assert.deepEqual(await phone(), phoneBefore);
    assert.equal(JSON.stringify([await stored(), await storedLinks()]), storedBefore);
  } finally {
    assert.equal((await business({ name: 'Owner Shop' })).status, 200);
  }
});
