import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { lockInstanceId } from '../../server/db/instance-lock';

let db: TestDatabase;
const logger = pino({ level: 'silent' });

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
