import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { waitFor } from '../helpers/emulated-wago';
import { messageRepository, type StoredMessageInput } from '../../server/repositories/message.repository';
import { inboxRepository } from '../../server/repositories/inbox.repository';
import { sessionEventRepository } from '../../server/repositories/session-event.repository';
import { chatThread, listConversations } from '../../server/services/inbox/inbox.service';
import { listEventHistory } from '../../server/services/event-log.service';
import type { Actor } from '../../server/auth/actor';
import { ApiError } from '../../server/http/errors';
import type { Prisma } from '../../server/generated/prisma/client';

// The inbox's conversation list and threads over the real message store, and the event log
// behind the event history (batched writes, filters, tenant walls, trimming), on real PostgreSQL.
let db: TestDatabase;
let wago: TestWago;
let sessionId: string;
let otherSessionId: string;
const ALICE = '15550002001@s.whatsapp.net';
const BOB = '15550002002@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';
const t0 = Date.now() - 3_600_000;

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url });
  const init = async (name: string) => (await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } })).body.data!.session.id;
  sessionId = await init('inbox');
  otherSessionId = await init('other');
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

function msg(id: string, chatJid: string, fromMe: boolean, seconds: number, type: string, content: Prisma.InputJsonObject, extra: Partial<StoredMessageInput> = {}): StoredMessageInput {
  return {
    sessionId,
    messageId: id,
    chatJid,
    chatLid: null,
    senderJid: fromMe ? null : (extra.senderJid ?? chatJid),
    senderLid: null,
    fromMe,
    type,
    text: typeof content.conversation === 'string' ? content.conversation : null,
    content,
    status: fromMe ? 'sent' : 'received',
    timestamp: new Date(t0 + seconds * 1000),
    ...extra,
  };
}

test('conversations: newest activity first, with names, last message kind and unread counts; status updates are not a conversation', async () => {
  const prisma = wago.runtime.prisma;
  await prisma.contact.create({ data: { sessionId, jid: ALICE, pushName: 'Alice' } });
  await prisma.contact.create({ data: { sessionId, jid: BOB, fullName: 'Bob Builder', pushName: 'bob' } });
  await prisma.groupMetadata.create({ data: { sessionId, groupJid: GROUP, metadata: { id: GROUP, subject: 'Book club' } } });
  await messageRepository.writeBatch(
    [
      msg('A1', ALICE, false, 1, 'conversation', { conversation: 'hi' }),
      msg('A2', ALICE, false, 2, 'conversation', { conversation: 'are you there?' }),
      msg('A3', ALICE, false, 3, 'imageMessage', { imageMessage: { mimetype: 'image/jpeg', caption: 'look' } }, { text: 'look' }),
      msg('B1', BOB, false, 4, 'conversation', { conversation: 'hello' }),
      msg('B2', BOB, true, 5, 'conversation', { conversation: 'hi Bob' }),
      msg('G1', GROUP, false, 6, 'audioMessage', { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3 } }, { senderJid: ALICE }),
      msg('S1', 'status@broadcast', false, 7, 'conversation', { conversation: 'my status' }, { senderJid: ALICE }),
    ],
    [],
  );
  const list = await listConversations(sessionId);
  assert.deepEqual(list.map((c) => c.chatJid), [GROUP, BOB, ALICE], 'newest activity first; status@broadcast is no conversation');
  const [group, bob, alice] = list;
  assert.equal(group!.name, 'Book club');
  assert.equal(group!.isGroup, true);
  assert.equal(group!.lastMessage.kind, 'Audio', 'the list names the stored type (no content decoding for the list)');
  assert.equal(group!.unread, 1);
  assert.equal(bob!.name, 'Bob Builder', 'a saved name wins over the push name');
  assert.equal(bob!.unread, 0, 'an own reply after an incoming message means it was read');
  assert.equal(bob!.lastMessage.fromMe, true);
  assert.equal(alice!.name, 'Alice');
  assert.equal(alice!.phone, '15550002001');
  assert.equal(alice!.unread, 3);
  assert.equal(alice!.lastMessage.kind, 'Photo');
  assert.equal(alice!.lastMessage.text, 'look');

  // A read mark at A2 leaves one unread.
  await inboxRepository.markRead(sessionId, ALICE, new Date(t0 + 2000));
  assert.equal((await listConversations(sessionId)).find((c) => c.chatJid === ALICE)!.unread, 1);
  // The mark never moves back.
  await inboxRepository.markRead(sessionId, ALICE, new Date(t0));
  assert.equal((await listConversations(sessionId)).find((c) => c.chatJid === ALICE)!.unread, 1);

  // Paging: two, then the rest after the second's activity.
  const first = await listConversations(sessionId, { limit: 2 });
  assert.deepEqual(first.map((c) => c.chatJid), [GROUP, BOB]);
  const rest = await listConversations(sessionId, { limit: 2, before: { timestamp: new Date(first[1]!.lastMessage.timestamp), chatJid: first[1]!.chatJid } });
  assert.deepEqual(rest.map((c) => c.chatJid), [ALICE]);
  assert.deepEqual(await listConversations(otherSessionId), [], "another session's store is not read");
});

test('a thread shows plain kinds, media without keys, quotes, reactions, polls and deletions', async () => {
  await messageRepository.writeBatch(
    [
      msg('T1', ALICE, false, 10, 'pollCreationMessageV3', { pollCreationMessageV3: { name: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Salad' }], selectableOptionsCount: 1 } }),
      msg('T2', ALICE, true, 11, 'extendedTextMessage', { extendedTextMessage: { text: 'Pizza!', contextInfo: { stanzaId: 'T1', participant: ALICE, quotedMessage: { conversation: 'Lunch?' } } } }, { text: 'Pizza!' }),
      msg('T3', ALICE, false, 12, 'documentMessage', { documentMessage: { mimetype: 'application/pdf', fileName: 'menu.pdf', fileLength: 2048, mediaKey: Buffer.alloc(32, 1).toString('base64') } }),
      msg('T4', ALICE, false, 13, 'conversation', { conversation: 'oops' }),
    ],
    [],
  );
  await messageRepository.setReaction({ sessionId, messageId: 'T2', chatJid: ALICE, reactor: ALICE, emoji: '👍' });
  await messageRepository.markDeleted({ sessionId, messageId: 'T4', chatJid: ALICE, at: new Date() });
  const thread = await chatThread(sessionId, ALICE, { limit: 10 });
  const byId = new Map(thread.map((m) => [m.messageId, m]));
  assert.equal(thread[0]!.messageId, 'T4', 'newest first');
  assert.equal(byId.get('A3')!.kind, 'Photo');
  assert.equal(byId.get('A3')!.media?.kind, 'image');
  assert.equal(byId.get('T1')!.kind, 'Poll');
  assert.deepEqual(byId.get('T1')!.pollOptions, ['Pizza', 'Salad']);
  assert.equal(byId.get('T2')!.kind, 'Text', 'an extendedTextMessage is a text');
  assert.deepEqual(byId.get('T2')!.quoted, { messageId: 'T1', participant: ALICE, kind: 'Text', text: 'Lunch?' });
  assert.deepEqual(byId.get('T2')!.reactions, [{ by: ALICE, emoji: '👍' }]);
  const doc = byId.get('T3')!;
  assert.equal(doc.kind, 'Document');
  assert.deepEqual(doc.media, { kind: 'document', mimetype: 'application/pdf', fileName: 'menu.pdf', seconds: null, ptt: false, fileLength: 2048 });
  assert.ok(!JSON.stringify(thread).includes('mediaKey'), 'no media keys reach the page');
  assert.equal(byId.get('T4')!.deleted, true);
  assert.equal(byId.get('T4')!.text, null);
  const group = await chatThread(sessionId, GROUP);
  assert.equal(group[0]!.kind, 'Voice note');
  assert.equal(group[0]!.senderName, 'Alice', "a group message names its sender from the session's contacts");
});

test('event log: events are stored in batches, listed newest first with type and text filters, per tenant', async () => {
  const prisma = wago.runtime.prisma;
  const accountA = await prisma.account.create({ data: { email: 'a@example.test', role: 'tenant' } });
  const accountB = await prisma.account.create({ data: { email: 'b@example.test', role: 'tenant' } });
  await prisma.session.update({ where: { id: sessionId }, data: { ownerId: accountA.id } });
  await prisma.session.update({ where: { id: otherSessionId }, data: { ownerId: accountB.id } });
  const tenantA: Actor = { id: accountA.id, email: accountA.email, name: null, role: 'tenant' };
  const tenantB: Actor = { id: accountB.id, email: accountB.email, name: null, role: 'tenant' };
  const admin: Actor = { id: accountA.id, email: 'admin@example.test', name: null, role: 'admin' };

  await wago.runtime.events.publish(sessionId, 'Test', { message: 'first of A' });
  await wago.runtime.events.publish(sessionId, 'Test', { message: 'invoice 4711 for A' });
  await wago.runtime.events.publish(otherSessionId, 'Test', { message: 'secret of B' });
  await wago.runtime.events.publish(sessionId, 'StateChanged', { state: 'connecting', previous: 'disconnected', reason: null });
  await waitFor('four events in the log', async () => (await prisma.sessionEvent.count()) >= 4, 10_000);

  const a = await listEventHistory(tenantA, {});
  assert.deepEqual(a.map((e) => e.type), ['StateChanged', 'Test', 'Test'], "newest first, and only A's sessions for A");
  assert.equal(a[1]!.data.message, 'invoice 4711 for A');
  assert.equal(a[1]!.sessionName, 'inbox');
  assert.ok(!JSON.stringify(a).includes('secret of B'));
  assert.deepEqual((await listEventHistory(tenantA, { type: 'Test' })).map((e) => e.data.message), ['invoice 4711 for A', 'first of A']);
  assert.deepEqual((await listEventHistory(tenantA, { search: 'INVOICE 4711' })).map((e) => e.data.message), ['invoice 4711 for A']);
  assert.deepEqual(await listEventHistory(tenantA, { search: '%' }), [], 'LIKE wildcards are taken literally');
  await assert.rejects(listEventHistory(tenantA, { sessionId: otherSessionId }), (e: unknown) => e instanceof ApiError && e.status === 404);
  await assert.rejects(listEventHistory(tenantA, { type: 'Nope' }), (e: unknown) => e instanceof ApiError && e.status === 400 && e.message.startsWith('type:'));
  assert.deepEqual((await listEventHistory(tenantB, {})).map((e) => e.data.message), ['secret of B']);

  const all = await listEventHistory(admin, {});
  assert.equal(all.length, 4, 'an admin sees every session');
  assert.deepEqual(new Set(all.map((e) => e.sessionId)), new Set([sessionId, otherSessionId]));
  assert.deepEqual((await listEventHistory(admin, { sessionId: otherSessionId })).map((e) => e.data.message), ['secret of B']);
  // Paging back by position.
  const page = await listEventHistory(admin, { limit: 2 });
  const older = await listEventHistory(admin, { limit: 2, before: page[1]!.seq });
  assert.deepEqual([...page, ...older].map((e) => e.id), all.map((e) => e.id));
});

test('event log trimming keeps the newest events per session and drops old ones', async () => {
  for (let i = 0; i < 5; i++) await wago.runtime.events.publish(sessionId, 'Test', { message: `burst ${i}` });
  await waitFor('the burst in the log', async () => (await wago.runtime.prisma.sessionEvent.count({ where: { sessionId } })) >= 8, 10_000);
  const trimmed = await sessionEventRepository.trimPerSession(3);
  assert.equal(trimmed, 5, 'eight events of A become three; B has one, under the bound');
  const left = await sessionEventRepository.list({ sessionIds: [sessionId], limit: 10 });
  assert.deepEqual(left.map((e) => (e.payload as { message: string }).message), ['burst 4', 'burst 3', 'burst 2']);
  assert.equal(await sessionEventRepository.deleteOlderThan(new Date(Date.now() + 60_000), 1000), 4);
  assert.equal(await wago.runtime.prisma.sessionEvent.count(), 0);
});

// WhatsApp's timestamps have whole seconds: a message of the same second as the read mark, stored
// after the mark was set, is unread; one stored before it is read. So is an answer sent in the same
// second as the session's own reply.
test('a read mark splits one second: messages of that second stored after it are unread', async () => {
  const CAROL = '15550002003@s.whatsapp.net';
  const unread = async () => (await listConversations(sessionId)).find((c) => c.chatJid === CAROL)?.unread;
  await messageRepository.writeBatch([msg('C1', CAROL, false, 100, 'conversation', { conversation: 'one' }), msg('C2', CAROL, false, 101, 'conversation', { conversation: 'two' })], []);
  assert.equal(await unread(), 2);
  await inboxRepository.markReadToNewest(sessionId, CAROL);
  assert.equal(await unread(), 0);
  await messageRepository.writeBatch([msg('C3', CAROL, false, 101, 'conversation', { conversation: 'same second, after the read' })], []);
  assert.equal(await unread(), 1, 'stored after the mark, in the same second as the newest read message');
  await messageRepository.writeBatch([msg('C4', CAROL, true, 102, 'conversation', { conversation: 'my reply' })], []);
  assert.equal(await unread(), 0, 'the own reply covers what came before it');
  await messageRepository.writeBatch([msg('C5', CAROL, false, 102, 'conversation', { conversation: 'answer, same second' })], []);
  assert.equal(await unread(), 1, 'an answer in the same second as the own reply, stored after it, is unread');
});
