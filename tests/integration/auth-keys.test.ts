import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { authStateRepository } from '../../server/repositories/auth-state.repository';

let db: TestDatabase;
let wago: TestWago;
const sessions: string[] = [];

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url });
  for (const name of ['keys-a', 'keys-b']) {
    const r = await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } });
    sessions.push(r.body.data!.session.id);
  }
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

const bytes = (...b: number[]) => new Uint8Array(b);

test('one statement writes, replaces and deletes the keys of several sessions, each in its own session', async () => {
  const [a, b] = sessions;
  await authStateRepository.writeKeysOfSessions([
    { sessionId: a, type: 'session', keyId: 'k1', value: bytes(1) },
    { sessionId: a, type: 'session', keyId: 'k2', value: bytes(2) },
    { sessionId: b, type: 'session', keyId: 'k1', value: bytes(9) },
  ]);
  await authStateRepository.writeKeysOfSessions([
    { sessionId: a, type: 'session', keyId: 'k1', value: bytes(3) },
    { sessionId: a, type: 'session', keyId: 'k2', value: null },
    { sessionId: b, type: 'session', keyId: 'k2', value: bytes(8) },
  ]);
  const keysOf = async (sessionId: string) =>
    Object.fromEntries((await authStateRepository.getKeys(sessionId, 'session', ['k1', 'k2'])).map((k) => [k.keyId, [...k.value]]));
  assert.deepEqual(await keysOf(a), { k1: [3] }, 'replaced k1, deleted k2');
  assert.deepEqual(await keysOf(b), { k1: [9], k2: [8] }, "the other session's k1 untouched by a's writes");
});

test('a batch naming a session that does not exist fails as a whole', async () => {
  await assert.rejects(
    authStateRepository.writeKeysOfSessions([
      { sessionId: sessions[0], type: 'session', keyId: 'k9', value: bytes(1) },
      { sessionId: '00000000-0000-4000-8000-000000000000', type: 'session', keyId: 'k9', value: bytes(1) },
    ]),
  );
  assert.deepEqual(await authStateRepository.getKeys(sessions[0], 'session', ['k9']), [], 'nothing half-written');
});
