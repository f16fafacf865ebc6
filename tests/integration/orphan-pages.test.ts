import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { sessionLeaseRepository, type OrphanCursor } from '../../server/repositories/session-lease.repository';

// The restore scan reads sessions to restore a page at a time. The sessions this process already
// holds a lease on stay in the list (its own, from before a restart), so each page must follow the
// previous one: asking for the first page again never got past the first 200 sessions.

let db: TestDatabase;
let wago: TestWago;
let sql: pg.Client;
const ids: string[] = [];

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  for (let i = 0; i < 7; i++) {
    const r = await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: `orphan-${i}` } });
    ids.push(r.body.data!.session.id);
  }
  // Linked (credentials stored) and marked to run; created in one statement so several share a created_at.
  await sql.query(`INSERT INTO session_auth (session_id, creds, updated_at) SELECT unnest($1::uuid[]), '\\x00'::bytea, now()`, [ids]);
  await sql.query(`UPDATE sessions SET auto_connect = true, created_at = date_trunc('second', now()) WHERE id = ANY($1::uuid[])`, [ids.slice(0, 4)]);
  await sql.query(`UPDATE sessions SET auto_connect = true WHERE id = ANY($1::uuid[])`, [ids.slice(4)]);
});
after(async () => {
  await sql?.end();
  await wago?.stop();
  await db?.drop();
});

async function allPages(ownerId: string, size: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: OrphanCursor | undefined;
  for (;;) {
    const page = await sessionLeaseRepository.listOrphans(size, ownerId, after);
    if (page.length === 0) return pages;
    pages.push(page.map((row) => row.id));
    after = page[page.length - 1];
  }
}

test('pages of sessions to restore follow one another past the ones this process holds', async () => {
  const me = 'owner-me';
  // This process holds the first three (as after a restart under the same instance id)…
  for (const id of ids.slice(0, 3)) assert.ok(await sessionLeaseRepository.tryAcquire(id, me, null, 60_000));
  // …another live process holds one, and one lease has expired.
  assert.ok(await sessionLeaseRepository.tryAcquire(ids[5], 'owner-other', null, 60_000));
  assert.ok(await sessionLeaseRepository.tryAcquire(ids[6], 'owner-gone', null, 1));
  await new Promise((r) => setTimeout(r, 20));

  const pages = await allPages(me, 2);
  const seen = pages.flat();
  assert.deepEqual(pages.map((p) => p.length), [2, 2, 2], 'three pages of two');
  assert.equal(new Set(seen).size, seen.length, 'no session twice');
  assert.deepEqual([...seen].sort(), ids.filter((id) => id !== ids[5]).sort(), 'every session to restore, but the one another live process holds');
  // With a page as large as the list, the same sessions in the same order.
  assert.deepEqual((await allPages(me, 50)).flat(), seen);
});

test('a session no longer marked to run is left out of every page', async () => {
  await sql.query('UPDATE sessions SET auto_connect = false WHERE id = $1', [ids[4]]);
  const seen = (await allPages('owner-me', 1)).flat();
  assert.ok(!seen.includes(ids[4]));
  assert.equal(seen.length, 5);
});
