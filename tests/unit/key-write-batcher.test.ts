import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { KeyWriteBatcher } from '../../server/whatsapp/auth/key-write-batcher';
import type { SessionKeyWrite } from '../../server/repositories/auth-state.repository';

const logger = pino({ level: 'silent' });
const row = (keyId: string) => ({ type: 'session', keyId, value: new Uint8Array([1]) });

test('batches handed over in the same turn, or while a statement runs, share one statement', async () => {
  const statements: SessionKeyWrite[][] = [];
  let release!: () => void;
  let first = true;
  const batcher = new KeyWriteBatcher(async (rows) => {
    statements.push(rows);
    if (first) {
      first = false;
      await new Promise<void>((r) => (release = r));
    }
  }, logger);
  const a = batcher.write('s1', [row('a'), row('b')]);
  const b = batcher.write('s2', [row('a')]);
  await new Promise((r) => setImmediate(r));
  assert.equal(statements.length, 1, 'the two sessions went out together');
  assert.deepEqual(statements[0].map((w) => `${w.sessionId}:${w.keyId}`), ['s1:a', 's1:b', 's2:a']);
  // While that statement runs, three more sessions hand batches over: they wait and go together.
  const later = ['s3', 's4', 's5'].map((s) => batcher.write(s, [row('x')]));
  release();
  await Promise.all([a, b, ...later]);
  assert.equal(statements.length, 2);
  assert.deepEqual(statements[1].map((w) => w.sessionId), ['s3', 's4', 's5']);
});

test('when a joint statement fails, each session is written on its own and only the bad one fails', async () => {
  const statements: string[][] = [];
  const batcher = new KeyWriteBatcher(async (rows) => {
    statements.push([...new Set(rows.map((r) => r.sessionId))]);
    if (rows.some((r) => r.sessionId === 'gone')) throw new Error('foreign key violation');
  }, logger);
  const results = await Promise.allSettled([batcher.write('s1', [row('a')]), batcher.write('gone', [row('a')]), batcher.write('s2', [row('a')])]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(statements, [['s1', 'gone', 's2'], ['s1'], ['gone'], ['s2']]);
  // The batcher keeps working afterwards.
  await batcher.write('s1', [row('b')]);
  assert.deepEqual(statements.at(-1), ['s1']);
});

test('an empty batch writes nothing', async () => {
  let calls = 0;
  const batcher = new KeyWriteBatcher(async () => void calls++, logger);
  await batcher.write('s1', []);
  assert.equal(calls, 0);
});
