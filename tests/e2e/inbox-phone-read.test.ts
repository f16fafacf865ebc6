import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { listConversations } from '../../server/services/inbox/inbox.service';
import { getRuntime } from '../../server/runtime/registry';
import type { EventPayloads } from '../../server/events/types';

// The inbox's read mark follows the phone: when the account's phone reads a chat, WhatsApp syncs
// it to the linked devices as app state (markChatAsRead); the session publishes ChatRead and the
// chat's unread count drops to 0.
let env: EmulatedWago;
let token: string;
let sessionId: string;
let live: Awaited<ReturnType<typeof listen>>;
const ALICE_JID = `${ALICE}@s.whatsapp.net`;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'phone-read');
  sessionId = (await getRuntime().prisma.session.findFirstOrThrow({ where: { name: 'phone-read' } })).id;
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

const unreadOf = async (chat: string) => (await listConversations(sessionId)).find((c) => c.chatJid === chat)?.unread;
const phoneReads = (body: unknown) => fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/chats/read`, { method: 'POST', body: JSON.stringify(body) });

test("the phone reads a chat: WhatsApp syncs markChatAsRead, the session publishes ChatRead and the chat's unread count drops to 0", async () => {
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'first' });
  const second = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'second' });
  await waitFor('two unread messages', async () => (await unreadOf(ALICE_JID)) === 2);

  const res = await phoneReads({ chat: ALICE });
  assert.equal(res.status, 200);
  const answer = (await res.json()) as { version: number; chat: string; read: boolean };
  assert.equal(answer.chat, ALICE_JID);
  assert.equal(answer.read, true);
  // What the phone synced: one regular_low mutation naming the chat and its latest message.
  const [mutation] = env.emu.control.appState(OWNER_PHONE, { action: 'markChatAsRead', chat: ALICE_JID });
  assert.ok(mutation, 'the phone recorded its markChatAsRead mutation');
  assert.equal(mutation.collection, 'regular_low');
  assert.equal(mutation.value.read, true);
  const range = mutation.value.messageRange as { messages: Array<{ key: { id: string } }> };
  assert.equal(range.messages.at(-1)?.key.id, second.id, 'the range ends at the chat’s latest message');

  const event = await live.next('ChatRead', (e) => (e.data as EventPayloads['ChatRead']).chat.jid === ALICE_JID);
  assert.deepEqual({ ...(event.data as EventPayloads['ChatRead']), chat: { jid: (event.data as EventPayloads['ChatRead']).chat.jid } }, { chat: { jid: ALICE_JID }, read: true });
  await waitFor('the unread count drops to 0', async () => (await unreadOf(ALICE_JID)) === 0);

  // A message after the read is unread again.
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'third' });
  await waitFor('one new unread message', async () => (await unreadOf(ALICE_JID)) === 1);
});

test('marked unread on the phone: ChatRead with read false; the read mark never moves back', async () => {
  const res = await phoneReads({ chat: ALICE_JID, read: false });
  assert.equal(res.status, 200);
  await live.next('ChatRead', (e) => (e.data as EventPayloads['ChatRead']).read === false);
  assert.equal(await unreadOf(ALICE_JID), 1);
  await phoneReads({ chat: ALICE });
  await waitFor('read again', async () => (await unreadOf(ALICE_JID)) === 0);
});

test('the control API refuses bad input: 400 without a chat, 404 for an unknown account; nothing is synced', async () => {
  const before = env.emu.control.appState(OWNER_PHONE).length;
  assert.equal((await phoneReads({})).status, 400);
  assert.equal((await phoneReads({ chat: ALICE, read: 'yes' })).status, 400);
  assert.equal((await phoneReads({ chat: '19999999999' })).status, 404);
  assert.equal((await fetch(`${env.emu.url}/control/accounts/19999999999/chats/read`, { method: 'POST', body: JSON.stringify({ chat: ALICE }) })).status, 404);
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
});
