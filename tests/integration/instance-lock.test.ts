import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { lockInstanceId } from '../../server/db/instance-lock';

let db: TestDatabase;
const logger = pino({ level: 'silent' });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

test('an instance id is held by one live process at a time, and free again once it lets go', async () => {
  const first = await lockInstanceId(db.url, 'instance-a', logger);
  assert.ok(first);
  assert.equal(await lockInstanceId(db.url, 'instance-a', logger), null, 'a second holder is refused');
  const other = await lockInstanceId(db.url, 'instance-b', logger);
  assert.ok(other, 'another id is independent');
  await first.release(); // as when the process dies: its connection closes
  const again = await lockInstanceId(db.url, 'instance-a', logger);
  assert.ok(again);
  await again.release();
  await other.release();
});

test('a lock whose connection is cut (PostgreSQL restarted) is taken back on a new connection', async () => {
  const held = await lockInstanceId(db.url, 'instance-c', logger);
  assert.ok(held);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    const backends = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.application_name = 'wago-instance-lock' AND a.datname = current_database()`,
        )
      ).rows.map((r) => r.pid);
    const [first] = await backends();
    assert.ok(first, 'the lock is held on its own connection');
    await admin.query('SELECT pg_terminate_backend($1)', [first]);
    const second = await waitFor('the lock taken back', async () => (await backends()).find((pid) => pid !== first), 20_000);
    assert.notEqual(second, first);
    assert.equal(await lockInstanceId(db.url, 'instance-c', logger), null, 'the id is held again: another holder is refused');
    await held.release();
    await waitFor('released for good', async () => (await backends()).length === 0);
    const again = await lockInstanceId(db.url, 'instance-c', logger);
    assert.ok(again, 'free once released');
    await again.release();
  } finally {
    await admin.end();
  }
});
