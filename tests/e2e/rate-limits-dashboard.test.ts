import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../server/trpc/router';
import { getRuntime } from '../../server/runtime/registry';
import type { TrpcContext } from '../../server/trpc/init';
import type { Actor } from '../../server/auth/actor';
import { describeFailure } from '../../components/dashboard/error-wording';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';

// The dashboard's tRPC calls are limited per signed-in account (WAGO_RATE_LIMIT_DASHBOARD), set
// low here (the test helper turns it off for every other suite); the buckets are in PostgreSQL.

let db: TestDatabase;
let wago: TestWago;
const alice: Actor = { id: randomUUID(), email: 'alice@tenant.test', name: null, role: 'tenant' };
const bob: Actor = { id: randomUUID(), email: 'bob@tenant.test', name: null, role: 'tenant' };

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, env: { WAGO_RATE_LIMIT_DASHBOARD: '0.5/3' } });
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

function context(actor: Actor, forwardedBy: string | null = null): TrpcContext {
  return { runtime: getRuntime(), actor, sameOrigin: true, cookie: null, forwardedBy, client: { ip: '198.51.100.7', userAgent: 'rate-limit-test' } };
}

const caller = (actor: Actor, forwardedBy: string | null = null) => appRouter.createCaller(context(actor, forwardedBy));

function isTooMany(error: unknown): boolean {
  return error instanceof TRPCError && error.code === 'TOO_MANY_REQUESTS';
}

/** Calls until the first TOO_MANY_REQUESTS (at most `max` calls): how many got in, and the refusal. */
async function untilRefused(call: () => Promise<unknown>, max = 20): Promise<{ admitted: number; refused: TRPCError }> {
  let admitted = 0;
  for (let i = 0; i < max; i++) {
    try {
      await call();
      admitted++;
    } catch (error) {
      if (isTooMany(error)) return { admitted, refused: error as TRPCError };
      throw error;
    }
  }
  throw new Error(`no TOO_MANY_REQUESTS after ${max} calls`);
}

/** One call through tRPC's HTTP handler (as the dashboard's route runs it), signed in as `actor`. */
async function overHttp(actor: Actor, path: string): Promise<{ status: number; body: { error?: { message: string; data: { code: string; httpStatus: number } } } }> {
  const req = new Request(`http://wago.test/api/trpc/${path}`);
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => context(actor) });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; data: { code: string; httpStatus: number } } } };
}

test('an account over its dashboard limit gets TOO_MANY_REQUESTS saying when to retry; another account is unaffected; after waiting it passes', async () => {
  const { admitted, refused } = await untilRefused(() => caller(alice).account.me());
  // The burst (3) gets in at once; a slow machine may have earned one more meanwhile.
  assert.ok(admitted >= 3 && admitted <= 4, `admitted ${admitted}`);
  assert.match(refused.message, /^too many dashboard calls from this account \(limit 0\.5\/s, burst 3\); retry in \d+ s$/);
  const seconds = Number(/retry in (\d+) s/.exec(refused.message)![1]);
  assert.ok(seconds >= 1 && seconds <= 2, `retry in ${seconds} s`);

  // Every procedure of the account counts, mutations too, and is refused before it does anything.
  await assert.rejects(caller(alice).session.list(), isTooMany);
  await assert.rejects(caller(alice).session.create({ name: 'over the limit' }), isTooMany);
  const sessions = await wago.call('GET', '/session/all', { admin: true });
  assert.equal(sessions.status, 200);
  assert.doesNotMatch(JSON.stringify(sessions.body.data), /over the limit/);

  // Over HTTP the refusal is a 429 with the message, which the dashboard shows in its own words.
  const http = await overHttp(alice, 'account.me');
  assert.equal(http.status, 429);
  assert.equal(http.body.error?.data.code, 'TOO_MANY_REQUESTS');
  assert.match(http.body.error!.message, /^too many dashboard calls from this account .*retry in \d+ s$/);
  const shown = describeFailure({ message: http.body.error!.message, code: http.body.error!.data.code, answered: true });
  assert.match(shown.message, /^Too many requests from this account right now: try again in [12] seconds?\.$/);

  // Another account has its own bucket: its whole burst gets in.
  for (let i = 0; i < 3; i++) assert.deepEqual(await caller(bob).account.me(), bob);
  // A call another WaGo process forwarded here was counted by that process, not again here.
  assert.deepEqual(await caller(alice, 'another-process').account.me(), alice);

  await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
  assert.deepEqual(await caller(alice).account.me(), alice);
});
