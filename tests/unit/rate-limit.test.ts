import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gcraParams, gcraStep } from '../../server/lib/rate-limit/gcra';
import { parseRateLimit } from '../../server/lib/rate-limit/rate-spec';
import { signForward, verifyForward } from '../../server/http/forward-proof';
import { loadConfig } from '../../server/config';

test('rate specs: "rate/burst", "rate", 0 = off; anything else refused', () => {
  assert.deepEqual(parseRateLimit('50/100'), { rate: 50, burst: 100 });
  assert.deepEqual(parseRateLimit('2.5'), { rate: 2.5, burst: 3 });
  assert.deepEqual(parseRateLimit(' 0.5 / 4 '), { rate: 0.5, burst: 4 });
  assert.equal(parseRateLimit('0'), null);
  for (const bad of ['', 'x', '-1/2', '5/0', '5/', '1e3', '5/2/1']) assert.equal(parseRateLimit(bad), undefined, bad);
  assert.deepEqual(loadConfig({}).WAGO_RATE_LIMIT_SESSION, { rate: 50, burst: 100 });
  assert.equal(loadConfig({ WAGO_RATE_LIMIT_ADMIN: '0' }).WAGO_RATE_LIMIT_ADMIN, null);
  assert.deepEqual(loadConfig({}).WAGO_RATE_LIMIT_DASHBOARD, { rate: 20, burst: 60 });
  assert.equal(loadConfig({ WAGO_RATE_LIMIT_DASHBOARD: '0' }).WAGO_RATE_LIMIT_DASHBOARD, null);
  assert.throws(() => loadConfig({ WAGO_RATE_LIMIT_DASHBOARD: '20/0' }), /WAGO_RATE_LIMIT_DASHBOARD must be/);
  assert.throws(() => loadConfig({ WAGO_RATE_LIMIT_SESSION: 'lots' }), /WAGO_RATE_LIMIT_SESSION must be "<requests per second>\/<burst>"/);
});

test('GCRA: a full bucket lets `burst` in at once, then `rate` per second; a refusal costs nothing', () => {
  const p = gcraParams(2, 3); // one every 500 ms, three at once
  let tat: number | undefined;
  const at = (now: number) => {
    const step = gcraStep(tat, now, p);
    if (step.allowed) tat = step.tatMs;
    return step;
  };
  assert.deepEqual([at(0), at(0), at(0)].map((s) => s.allowed), [true, true, true]);
  const refused = at(0);
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterMs, 500);
  assert.equal(at(100).allowed, false, 'refusals do not push the wait further');
  assert.equal(at(499).retryAfterMs, 1);
  assert.equal(at(500).allowed, true);
  assert.equal(at(500).allowed, false);
  // Idle for a long time: the bucket is full again, never fuller.
  assert.deepEqual([at(60_000), at(60_000), at(60_000), at(60_000)].map((s) => s.allowed), [true, true, true, false]);
});

test('forward proof: valid only for the same secret, forwarder, request and within 5 minutes', () => {
  const proof = signForward('secret', 'instance-a', 'GET /session/status', 1_000_000);
  assert.equal(verifyForward('secret', 'instance-a', 'GET /session/status', proof, 1_000_000 + 1000), true);
  assert.equal(verifyForward('other', 'instance-a', 'GET /session/status', proof, 1_000_000), false);
  assert.equal(verifyForward('secret', 'instance-b', 'GET /session/status', proof, 1_000_000), false);
  assert.equal(verifyForward('secret', 'instance-a', 'POST /session/logout', proof, 1_000_000), false);
  assert.equal(verifyForward('secret', 'instance-a', 'GET /session/status', proof, 1_000_000 + 6 * 60_000), false);
  for (const bad of [undefined, '', 'x', '123.', '.abc', `${Date.now()}.zz`]) assert.equal(verifyForward('secret', 'instance-a', 'GET /x', bad), false);
});
