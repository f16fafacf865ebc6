import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';

// Two WaGo processes on one database share each credential's bucket: through PostgreSQL, and
// through Redis when REDIS_URL is set. The limit is one request per 100 s with a burst of 5, so
// the count is exact however slow the machine is.

// Random: Redis keeps a bucket until it is full again, longer than a rerun may take.
const ADMIN = `rate-limit-admin-${randomUUID()}`;
const REDIS = process.env.WAGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbs: TestDatabase[] = [];
const processes: WagoProcess[] = [];

after(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  for (const db of dbs) await db.drop();
});

async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data?: { token?: string }; error?: string };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json };
}

async function sharedLimit(t: { diagnostic(m: string): void }, extra: Record<string, string>, store: string) {
  const db = await createTestDatabase();
  dbs.push(db);
  const env = { DATABASE_URL: db.url, WAGO_ADMIN_TOKEN: ADMIN, WAGO_RATE_LIMIT_SESSION: '0.01/5', WAGO_RATE_LIMIT_ADMIN: '0.01/5', ...extra };
  const a = await spawnWago(env);
  processes.push(a);
  const b = await spawnWago(env);
  processes.push(b);
  const init = await call(a.url, 'POST', '/session/init', { admintoken: ADMIN }, { Name: 'shared' });
  assert.equal(init.status, 200, JSON.stringify(init.json));
  const token = init.json.data!.token!;
  // Alternating between the processes: 5 calls in all get in, the 6th is refused by either.
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await call(i % 2 ? b.url : a.url, 'GET', '/session/status', { token })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  const refused = await call(b.url, 'GET', '/webhook', { token });
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.retryAfter) > 50, `Retry-After ${refused.retryAfter}`);
  // The admin token too (one of its 5 went to /session/init).
  const admin: number[] = [];
  for (let i = 0; i < 6; i++) admin.push((await call(i % 2 ? a.url : b.url, 'GET', '/session/all', { admintoken: ADMIN })).status);
  assert.deepEqual(admin, [200, 200, 200, 200, 429, 429]);
  t.diagnostic(`${store}: one bucket per credential across two processes`);
}

test('two processes share the limit through PostgreSQL', async (t) => {
  await sharedLimit(t, { WAGO_RATE_LIMIT_STORE: 'postgres' }, 'postgres');
});

test('two processes share the limit through Redis', { skip: REDIS === 'none' ? 'no Redis' : false }, async (t) => {
  await sharedLimit(t, { REDIS_URL: REDIS }, 'redis');
});
