import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { authStateRepository } from '../../server/repositories/auth-state.repository';
import { CryptoBox } from '../../server/lib/crypto-box';
import { AuthCodec } from '../../server/whatsapp/auth/codec';
import { usePgAuthState } from '../../server/whatsapp/auth/pg-auth-state';

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

test("a contact's session record rewritten with every message keeps its row on its page: the table does not grow", async () => {
  // An encrypted 3.5 KB record (it never compresses), rewritten 400 times as a busy contact's is.
  // Moved out of line and to a new page each time, as before, the versions took 1.4 MB or more.
  const [a] = sessions;
  for (let i = 0; i < 400; i++) {
    await authStateRepository.writeKeysOfSessions([{ sessionId: a, type: 'session', keyId: 'busy.0', value: randomBytes(3500) }]);
  }
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ total: string; toast: string }>(
      `SELECT pg_total_relation_size('session_keys') AS total,
              coalesce((SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'session_keys' AND reltoastrelid <> 0), 0) AS toast`,
    );
    assert.equal(Number(rows[0].toast), 0, 'nothing moved out of line');
    // Each rewrite reclaims the version before it when it finds its page full, unless another
    // transaction of the database could still see it then: alone ~200 KB, 540 KB seen during a
    // full test run. Out of line, the 400 versions took 1.4 MB before any row.
    assert.ok(Number(rows[0].total) < 1024 * 1024, `session_keys takes ${rows[0].total} bytes`);
    const [stored] = await authStateRepository.getKeys(a, 'session', ['busy.0']);
    assert.equal(stored.value.length, 3500);
  } finally {
    await sql.end();
  }
});

test('a session record Baileys stores keeps its open session and the three newest it replaced, in memory and in the database', async () => {
  const [, b] = sessions;
  const box = new CryptoBox(randomBytes(32));
  const auth = await usePgAuthState(b, box, pino({ level: 'silent' }));
  // As libsignal serialises a record: the open session (closed: -1) and six it replaced.
  const entry = (closed: number) => ({ indexInfo: { closed, baseKey: `k${closed}` }, registrationId: 1 });
  const record = { version: 'v1', _sessions: Object.fromEntries([-1, 10, 60, 20, 50, 30, 40].map((c) => [`base${c}`, entry(c)])) };
  await auth.state.keys.set({ session: { 'contact.0': record as never } });
  await auth.flush();
  const kept = ['base-1', 'base60', 'base50', 'base40'];
  const inMemory = (await auth.state.keys.get('session', ['contact.0']))['contact.0'] as unknown as typeof record;
  assert.deepEqual(Object.keys(inMemory._sessions).sort(), [...kept].sort());
  const [row] = await authStateRepository.getKeys(b, 'session', ['contact.0']);
  const stored = new AuthCodec(box, b).openKey('session', 'contact.0', row.value) as typeof record;
  assert.deepEqual(Object.keys(stored._sessions).sort(), [...kept].sort());
});
