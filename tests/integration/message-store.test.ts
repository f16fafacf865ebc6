import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { messageRepository, type StoredMessageInput } from '../../server/repositories/message.repository';

let db: TestDatabase;
let wago: TestWago;
let sessionId: string;

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url });
  const r = await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'store' } });
  sessionId = r.body.data!.session.id;
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

const message = (id: string, text: string, fromMe: boolean, daysAgo = 0): StoredMessageInput => ({
  sessionId,
  messageId: id,
  chatJid: '15550002001@s.whatsapp.net',
  chatLid: null,
  senderJid: fromMe ? null : '15550002001@s.whatsapp.net',
  senderLid: null,
  fromMe,
  type: 'conversation',
  text,
  content: { conversation: text },
  status: fromMe ? 'sent' : 'received',
  timestamp: new Date(Date.now() - daysAgo * 86_400_000),
});

test('statuses only move forward and every receipt is kept in the history', async () => {
  await messageRepository.writeBatch([message('M1', 'hello there', true)], []);
  const at = new Date();
  await messageRepository.writeBatch([], [
    { sessionId, messageIds: ['M1'], status: 'read', participant: null, at },
    { sessionId, messageIds: ['M1'], status: 'delivered', participant: null, at },
  ]);
  const row = await messageRepository.findWithHistory(sessionId, 'M1');
  assert.equal(row?.status, 'read', 'a late "delivered" does not undo "read"');
  assert.deepEqual(row?.statuses.map((s) => s.status).sort(), ['delivered', 'read', 'sent']);
  // The same message stored twice (event replayed) stays one row.
  await messageRepository.writeBatch([message('M1', 'hello there', true)], []);
  assert.equal(await wago.runtime.prisma.message.count({ where: { sessionId, messageId: 'M1' } }), 1);
});

test('a receipt written in the same batch as its message moves the new row and is kept in its history', async () => {
  const at = new Date();
  await messageRepository.writeBatch(
    [message('F1', 'folded', true), message('F1', 'folded', true), message('F2', 'already stored', true)],
    [
      { sessionId, messageIds: ['F1'], status: 'delivered', participant: null, at },
      { sessionId, messageIds: ['F1'], status: 'read', participant: '15550002001@s.whatsapp.net', at },
    ],
  );
  const folded = await messageRepository.findWithHistory(sessionId, 'F1');
  assert.equal(folded?.status, 'read');
  assert.deepEqual(folded?.statuses.map((s) => s.status).sort(), ['delivered', 'read', 'sent'], 'one row and one history per status, the duplicate ignored');
  assert.equal(folded?.statuses.find((s) => s.status === 'read')?.participant, '15550002001@s.whatsapp.net');
  // A batch with a replay of a stored message and a receipt for it: the stored row moves once.
  await messageRepository.writeBatch([message('F2', 'already stored', true)], [{ sessionId, messageIds: ['F2'], status: 'delivered', participant: null, at }]);
  const stored = await messageRepository.findWithHistory(sessionId, 'F2');
  assert.equal(stored?.status, 'delivered');
  assert.deepEqual(stored?.statuses.map((s) => s.status).sort(), ['delivered', 'sent']);
  // A receipt for a message that is not stored changes nothing.
  await messageRepository.writeBatch([], [{ sessionId, messageIds: ['NOPE'], status: 'read', participant: null, at }]);
  assert.equal(await wago.runtime.prisma.message.count({ where: { sessionId, messageId: 'NOPE' } }), 0);
});

test('receipts update stored messages in place: their new versions stay on their page (no index writes)', async () => {
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  after(() => sql.end());
  const ids = Array.from({ length: 90 }, (_, i) => `HOT${String(i).padStart(2, '0')}`); // several pages
  await messageRepository.writeBatch(ids.map((id) => message(id, `in place ${id}`, true)), []);
  const pages = async () => {
    const { rows } = await sql.query<{ message_id: string; page: string }>(
      `SELECT message_id, (ctid::text::point)[0]::text AS page FROM messages WHERE session_id = $1 AND message_id LIKE 'HOT%' ORDER BY message_id`,
      [sessionId],
    );
    return Object.fromEntries(rows.map((r) => [r.message_id, r.page]));
  };
  const before = await pages();
  // Receipts for every other message of each page, as a burst's receipts come: delivered, then read.
  const receipted = ids.filter((_, i) => i % 2 === 0);
  for (const status of ['delivered', 'read'] as const) {
    await messageRepository.writeBatch([], [{ sessionId, messageIds: receipted, status, participant: null, at: new Date() }]);
  }
  const stored = await sql.query<{ message_id: string; status: string }>(`SELECT message_id, status FROM messages WHERE session_id = $1 AND message_id LIKE 'HOT%'`, [sessionId]);
  assert.equal(stored.rows.filter((r) => r.status === 'read').length, receipted.length);
  // An update that finds room on the row's page is heap-only: no new entry in any of the indexes.
  // On pages filled to the brim (the default), most of them moved to another page.
  const afterReceipts = await pages();
  assert.deepEqual(Object.fromEntries(receipted.map((id) => [id, afterReceipts[id]])), Object.fromEntries(receipted.map((id) => [id, before[id]])));
});

test('text search finds messages by words; listing is newest first', async () => {
  await messageRepository.writeBatch([message('S1', 'invoice number 42 attached', false), message('S2', 'see you tomorrow', false)], []);
  const found = await messageRepository.list(sessionId, { search: 'invoice', limit: 10 });
  assert.deepEqual(found.map((m) => m.messageId), ['S1']);
  const all = await messageRepository.list(sessionId, { limit: 10 });
  assert.ok(all.length >= 3);
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].timestamp >= all[i].timestamp);
});

test('retention deletes messages past the cutoff and their history', async () => {
  await messageRepository.writeBatch([message('OLD', 'ancient', true, 40)], []);
  const deleted = await messageRepository.deleteOlderThan(new Date(Date.now() - 30 * 86_400_000));
  assert.equal(deleted, 1);
  assert.equal(await messageRepository.findWithHistory(sessionId, 'OLD'), null);
  assert.ok(await messageRepository.findWithHistory(sessionId, 'M1'));
});
