import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import { messageRepository } from '../../server/repositories/message.repository';
import type { ReceivedMessage } from '../../emulator/world/types';

let env: EmulatedWago;
let token: string;
let sessionId: string;
let events: Awaited<ReturnType<typeof listen>>;
const ALICE_JID = `${ALICE}@s.whatsapp.net`;

interface SendAnswer {
  Id: string;
  Jid: string;
}

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'actions');
  sessionId = (await env.wago.runtime.prisma.session.findFirstOrThrow({ where: { name: 'actions' } })).id;
  events = await listen(env.wago.url, token);
});
after(async () => {
  events?.socket.close();
  await env?.stop();
});

async function sendText(body: string): Promise<string> {
  const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: body } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === r.body.data!.Id, timeoutMs: 10_000 });
  await waitFor('stored', async () => messageRepository.findWithHistory(sessionId, r.body.data!.Id));
  return r.body.data!.Id;
}

async function arrived(id: string): Promise<ReceivedMessage> {
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === id, timeoutMs: 10_000 });
  return got;
}

test('POST /message/react: the contact decrypts a reaction to the right message; "" removes it; the store keeps it', async () => {
  const target = await sendText('react to me');
  const r = await env.wago.call<SendAnswer>('POST', '/message/react', { token, body: { Phone: ALICE, Body: '👍', Id: target, IsFromMe: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.notEqual(r.body.data!.Id, target);
  const got = await arrived(r.body.data!.Id);
  assert.equal(got.contentType, 'reactionMessage');
  const reaction = got.message.reactionMessage as { text: string; key: { id: string; fromMe: boolean; remoteJid: string } };
  assert.equal(reaction.text, '👍');
  assert.equal(reaction.key.id, target);
  assert.equal(reaction.key.fromMe, true);
  assert.equal(reaction.key.remoteJid, ALICE_JID);
  const stored = await waitFor('reaction stored', async () => {
    const row = await messageRepository.findWithHistory(sessionId, target);
    return row?.reactions ? row : undefined;
  });
  assert.deepEqual(stored.reactions, { me: '👍' });

  const removal = await env.wago.call<SendAnswer>('POST', '/message/react', { token, body: { Phone: ALICE, Body: '', Id: target, IsFromMe: true } });
  assert.equal(removal.status, 200, JSON.stringify(removal.body));
  assert.equal(((await arrived(removal.body.data!.Id)).message.reactionMessage as { text?: string }).text ?? '', '');
  await waitFor('reaction removed', async () => (await messageRepository.findWithHistory(sessionId, target))?.reactions === null);
});

test('POST /message/react: an Id written "me:<id>" names one of our messages whatever IsFromMe says', async () => {
  const target = await sendText('mine');
  const r = await env.wago.call<SendAnswer>('POST', '/message/react', { token, body: { Phone: ALICE, Body: '🔥', Id: `me:${target}`, IsFromMe: false } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const reaction = (await arrived(r.body.data!.Id)).message.reactionMessage as { key: { id: string; fromMe: boolean } };
  assert.deepEqual([reaction.key.id, reaction.key.fromMe], [target, true]);
});

test("a contact's reaction to our message is kept in the store under the contact's JID", async () => {
  const target = await sendText('they will like this');
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, message: { reactionMessage: { key: { remoteJid: `${OWNER_PHONE}@s.whatsapp.net`, fromMe: false, id: target }, text: '❤️', senderTimestampMs: Date.now() } } });
  const row = await waitFor('reaction stored', async () => {
    const r = await messageRepository.findWithHistory(sessionId, target);
    return r?.reactions ? r : undefined;
  });
  assert.deepEqual(row.reactions, { [ALICE_JID]: '❤️' });
});

test('POST /message/edit: the contact receives a MESSAGE_EDIT with the new text; store and events follow', async () => {
  const target = await sendText('typo heer');
  const r = await env.wago.call<SendAnswer>('POST', '/message/edit', { token, body: { Chat: ALICE, MessageID: target, Message: 'typo here' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const got = await arrived(r.body.data!.Id);
  assert.equal(got.contentType, 'protocolMessage');
  const protocol = got.message.protocolMessage as { type: string; key: { id: string }; editedMessage: Record<string, { text?: string } | string> };
  assert.equal(protocol.type, 'MESSAGE_EDIT');
  assert.equal(protocol.key.id, target);
  assert.match(JSON.stringify(protocol.editedMessage), /"typo here"/);
  const row = await waitFor('edit stored', async () => {
    const s = await messageRepository.findWithHistory(sessionId, target);
    return s?.editedAt ? s : undefined;
  });
  assert.equal(row.text, 'typo here');
  const update = await events.next('MessageUpdate', (e) => (e.data as { id: string }).id === target && JSON.stringify(e.data).includes('typo here'));
  assert.match(JSON.stringify(update.data), /editedMessage/);
});

test('POST /message/delete: the contact receives a REVOKE of the message; the store marks it deleted', async () => {
  const target = await sendText('regret this');
  const r = await env.wago.call<SendAnswer>('POST', '/message/delete', { token, body: { Chat: ALICE, MessageID: target } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const got = await arrived(r.body.data!.Id);
  const protocol = got.message.protocolMessage as { type: string; key: { id: string; fromMe: boolean } };
  assert.equal(protocol.type, 'REVOKE');
  assert.equal(protocol.key.id, target);
  assert.equal(protocol.key.fromMe, true);
  const row = await waitFor('deletion stored', async () => {
    const s = await messageRepository.findWithHistory(sessionId, target);
    return s?.deletedAt ? s : undefined;
  });
  assert.equal(row.text, null);
  assert.equal(row.content, null);
  await events.next('MessageUpdate', (e) => (e.data as { id: string }).id === target && JSON.stringify(e.data).includes('messageStubType'));
  // A deleted message can no longer be edited.
  const edit = await env.wago.call('POST', '/message/edit', { token, body: { Chat: ALICE, MessageID: target, Message: 'x' } });
  assert.equal(edit.status, 400);
  assert.match(edit.body.error!, /^MessageID: /);
});

test('an edit and a deletion by the contact are reflected in the store', async () => {
  const incoming = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'first version' });
  await waitFor('stored', async () => messageRepository.findWithHistory(sessionId, incoming.id));
  const key = { remoteJid: `${OWNER_PHONE}@s.whatsapp.net`, fromMe: true, id: incoming.id };
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, message: { protocolMessage: { key, type: 14, editedMessage: { conversation: 'second version' }, timestampMs: Date.now() } } });
  await waitFor('edited', async () => (await messageRepository.findWithHistory(sessionId, incoming.id))?.text === 'second version');
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, message: { protocolMessage: { key, type: 0 } } });
  await waitFor('deleted', async () => (await messageRepository.findWithHistory(sessionId, incoming.id))?.deletedAt);
  // Someone else's message cannot be edited or deleted for everyone in a 1:1 chat.
  for (const [path, body] of [
    ['/message/edit', { Chat: ALICE, MessageID: incoming.id, Message: 'mine now' }],
    ['/message/delete', { Chat: ALICE, MessageID: incoming.id }],
  ] as const) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, path);
    assert.match(r.body.error!, /^MessageID: /);
  }
});
