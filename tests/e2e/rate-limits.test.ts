import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';

// Limits set low through the environment, the buckets in PostgreSQL (a database URL is given).

let db: TestDatabase;
let wago: TestWago;

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, env: { WAGO_RATE_LIMIT_SESSION: '0.5/3', WAGO_RATE_LIMIT_ADMIN: '0.5/4' } });
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

async function newToken(name: string): Promise<string> {
  const r = await wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: name } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!.token;
}

/** Calls until the first 429 (at most `max` calls); how many got in, and the refusal. */
async function untilRefused(call: () => ReturnType<TestWago['call']>, max = 20) {
  let admitted = 0;
  for (let i = 0; i < max; i++) {
    const r = await call();
    if (r.status === 429) return { admitted, refused: r };
    assert.equal(r.status, 200, JSON.stringify(r.body));
    admitted++;
  }
  throw new Error(`no 429 after ${max} calls`);
}

test('a session token over its limit gets 429 in the error shape with Retry-After; others are unaffected; after waiting it passes', async () => {
  const [a, b] = [await newToken('limited-a'), await newToken('limited-b')];
  const { admitted, refused } = await untilRefused(() => wago.call('GET', '/session/status', { token: a }));
  // The burst (3) gets in at once; a slow machine may have earned one more meanwhile.
  assert.ok(admitted >= 3 && admitted <= 4, `admitted ${admitted}`);
  assert.deepEqual({ code: refused.body.code, success: refused.body.success }, { code: 429, success: false });
  assert.match(refused.body.error!, /too many requests with this token \(limit 0.5\/s, burst 3\); retry in \d+ s/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2, `Retry-After ${refused.headers.get('retry-after')}`);
  // Every route of the token counts, and a refusal is not a new chance.
  assert.equal((await wago.call('GET', '/webhook', { token: a })).status, 429);
  // Another token has its own bucket.
  assert.equal((await wago.call('GET', '/session/status', { token: b })).status, 200);
  // Unauthenticated routes are never limited.
  for (let i = 0; i < 10; i++) {
    assert.equal((await wago.call('GET', '/health/live')).status, 200);
    assert.equal((await wago.call('GET', '/server/ok')).status, 200);
  }
  await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
  assert.equal((await wago.call('GET', '/session/status', { token: a })).status, 200);
});

test('the admin token has its own limit; /metrics is not counted; a claimed forward does not bypass the limit', async () => {
  await new Promise((r) => setTimeout(r, 8000)); // the admin bucket (burst 4 at 0.5/s) is full again after the first test
  for (let i = 0; i < 10; i++) {
    const m = await fetch(`${wago.url}/metrics`, { headers: { admintoken: 'test-admin-token-0123456789' } });
    assert.equal(m.status, 200);
    await m.text();
  }
  const { admitted, refused } = await untilRefused(() => wago.call('GET', '/session/all', { admin: true }));
  assert.ok(admitted >= 4 && admitted <= 5, `admitted ${admitted}`);
  assert.match(refused.body.error!, /too many requests with this admintoken/);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  // The forwarded-by header without a valid signature is a client's own call: still limited.
  const spoofed = await fetch(`${wago.url}/session/all`, { headers: { admintoken: 'test-admin-token-0123456789', 'x-wago-forwarded-by': 'someone', 'x-wago-forward-proof': `${Date.now()}.00` } });
  assert.equal(spoofed.status, 429);
  await spoofed.text();
  // A wrong admin token is refused as before (401), not counted against the real one.
  assert.equal((await wago.call('GET', '/session/all', { admin: 'not-the-admin-token-at-all' })).status, 401);
});
