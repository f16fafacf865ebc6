import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { ReceiptGate } from '../../server/whatsapp/intake/receipt-gate';
import { receiptHookLoaded } from '../../server/whatsapp/intake/receipt-hook-state';
import { stableEventId } from '../../server/events/stable-id';
import { isTransientDbError, retryWhileUnreachable } from '../../server/db/transient';
import { EventBus } from '../../server/events/bus';

const log = pino({ level: 'silent' });
const turn = () => new Promise((r) => setImmediate(r));

test('a held receipt goes out only once its message is stored; never when storing failed', async () => {
  const gate = new ReceiptGate(log);
  const sent: string[] = [];
  await gate.defer({ id: 'A' }, async () => void sent.push('A'));
  await gate.defer({ id: 'B' }, async () => void sent.push('B'));
  assert.equal(gate.size, 2);
  let store!: () => void;
  gate.release('A', new Promise<void>((resolve) => (store = resolve)));
  gate.release('B', Promise.reject(new Error('database refused')));
  await turn();
  assert.deepEqual(sent, [], 'nothing acknowledged before the store write');
  store();
  await turn();
  assert.deepEqual(sent, ['A']);
  assert.equal(gate.size, 0, 'B withheld: WhatsApp delivers it again');
});

test('a receipt whose sending fails (connection closed) is dropped, not thrown', async () => {
  const gate = new ReceiptGate(log);
  await gate.defer({ id: 'C' }, () => Promise.reject(new Error('Connection Closed')));
  gate.release('C');
  await turn();
  assert.equal(gate.size, 0);
});

test('Baileys is loaded with the receipt hook in this process', async () => {
  await import('baileys');
  assert.ok(receiptHookLoaded(), 'the module hook patched messages-recv.js');
});

test('a received message has one event id, derived from session, chat and message id', () => {
  const a = stableEventId('s1', 'Message', '1555@s.whatsapp.net/3EB0AA');
  assert.equal(a, stableEventId('s1', 'Message', '1555@s.whatsapp.net/3EB0AA'));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, stableEventId('s2', 'Message', '1555@s.whatsapp.net/3EB0AA'));
  assert.notEqual(a, stableEventId('s1', 'Message', '1555@s.whatsapp.net/3EB0AB'));
});

test('unreachable-database errors are retried until the write succeeds; others are thrown at once', async () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  assert.ok(isTransientDbError(refused));
  assert.ok(isTransientDbError(new Error('wrapped', { cause: { code: '57P01' } })));
  assert.ok(!isTransientDbError(Object.assign(new Error('duplicate key'), { code: '23505' })));
  let calls = 0;
  const value = await retryWhileUnreachable(
    async () => {
      if (++calls < 3) throw refused;
      return 'written';
    },
    { logger: log, what: 'test', firstDelayMs: 1 },
  );
  assert.equal(value, 'written');
  assert.equal(calls, 3);
  await assert.rejects(retryWhileUnreachable(async () => Promise.reject(new Error('syntax error')), { logger: log, what: 'test', firstDelayMs: 1 }), /syntax error/);
});

test('the bus tells when every consumer\'s later write of an event is done', async () => {
  const bus = new EventBus(log);
  let commit!: () => void;
  bus.subscribe((event) => bus.writeLater(event, new Promise<void>((resolve) => (commit = resolve))));
  const event = await bus.publish('s1', 'Message', { id: 'X' }, { id: 'fixed-id' });
  assert.equal(event.id, 'fixed-id');
  let settled = false;
  void bus.settled(event).then(() => (settled = true));
  await turn();
  assert.equal(settled, false);
  commit();
  await turn();
  assert.equal(settled, true);
});
