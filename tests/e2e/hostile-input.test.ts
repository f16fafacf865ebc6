import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { routes } from '../../server/routes/index';
import { ADMIN_TOKEN } from '../helpers/wago';
import { startEmulatedWago, linkedSession, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { closeAgent, dbSnapshot, hostileCases, pool, schemaAccepts, sendRaw, worldSnapshot, type HostileCase } from '../helpers/hostile';
import type { AnyRoute } from '../../server/http/route';

// Every declared route (taken from the registry, so new routes are covered without edits) gets
// about 20 malformed, oversized, wrongly typed, deeply nested, prototype-polluting,
// control-character and injection-laden bodies, query strings and headers. None may get a 5xx,
// crash the server, or change the database or WhatsApp's side.

let env: EmulatedWago;
let token: string;

before(async () => {
  env = await startEmulatedWago({ WAGO_MAX_BODY_BYTES: String(256 * 1024) });
  token = await linkedSession(env, 'hostile');
});
after(async () => {
  await closeAgent();
  await env?.stop();
});

/** A stable database and world: the history sync after linking has settled. */
async function settled(): Promise<{ db: Record<string, string>; world: string }> {
  let last = '';
  return waitFor('a stable snapshot', async () => {
    const snap = { db: await dbSnapshot(env.db.url), world: JSON.stringify(worldSnapshot(env.emu)) };
    const key = JSON.stringify(snap);
    if (key === last) return snap;
    last = key;
    await new Promise((r) => setTimeout(r, 500));
    return undefined;
  }, 30_000);
}

/** POST routes that only read: accepted hostile values reach their handlers with the real token. */
const READS = /\/(status|info|check|download\w*)$/;

interface Sent {
  route: AnyRoute;
  c: HostileCase;
  forged: boolean;
  status: number;
  text: string;
}

test('hostile bodies, queries and headers on every route: never a 5xx, never a crash, never a change of state', async (t) => {
  const before = await settled();
  const jobs: Array<{ route: AnyRoute; c: HostileCase; forged: boolean }> = [];
  for (const route of routes) {
    for (const c of hostileCases(route)) {
      // A case the schema accepts is a valid request, not a hostile one: a state-changing route
      // gets it with a forged token (so it must be refused), reads get it as they are.
      const forged = route.method !== 'GET' && !READS.test(route.path) && schemaAccepts(route, c);
      jobs.push({ route, c, forged });
    }
  }
  assert.ok(routes.length >= 100, `routes from the registry: ${routes.length}`);
  const started = Date.now();
  const sent: Sent[] = await pool(jobs, 8, async ({ route, c, forged }) => {
    const auth: Record<string, string> =
      route.auth === 'admin' ? { admintoken: forged ? 'forged-admin-token' : ADMIN_TOKEN } : route.auth === 'session' ? { token: forged ? 'forged\u00e9token'.repeat(200) : token } : {};
    const r = await sendRaw(env.wago.url, route.method, route.path, c, auth);
    return { route, c, forged, ...r };
  });
  const failures = sent.filter((s) => {
    if (s.status < 500) return false;
    // 502/503/504 are WhatsApp's answers and 501 a call without a media leg: allowed only for
    // requests that passed validation and reached WhatsApp; a 500 never is.
    const reachedWhatsApp = !s.forged && (s.route.method === 'GET' || READS.test(s.route.path)) && schemaAccepts(s.route, s.c);
    return s.status === 500 || !reachedWhatsApp;
  });
  assert.deepEqual(
    failures.map((f) => `${f.route.method} ${f.route.path} [${f.c.label}] -> ${f.status} ${f.text.slice(0, 200)}`),
    [],
  );
  for (const s of sent) {
    // A route that answers a raw body (e.g. /metrics, Prometheus text) does so on success; its refusals are JSON.
    if (s.route.rawContentType && s.status < 400) {
      assert.ok(s.text.length > 0, `${s.route.path} [${s.c.label}]: empty answer`);
      continue;
    }
    let body: { success?: unknown; error?: unknown };
    try {
      body = JSON.parse(s.text) as typeof body;
    } catch {
      assert.fail(`non-JSON answer ${s.status} for ${s.route.method} ${s.route.path} [${s.c.label}]: ${s.text.slice(0, 200)}`);
    }
    if (s.status >= 400) assert.equal(typeof body.error, 'string', `${s.route.path} [${s.c.label}]`);
    if (s.forged && s.route.auth !== 'none') assert.ok(s.status === 401 || s.status === 403, `forged credentials on ${s.route.path} [${s.c.label}]: ${s.status}`);
  }
  // Rejected input names what is wrong: a 400 for every case the schema refused.
  const refused = sent.filter((s) => !s.forged && s.route.input && !schemaAccepts(s.route, s.c));
  for (const s of refused) assert.ok([400, 413].includes(s.status), `${s.route.method} ${s.route.path} [${s.c.label}]: ${s.status} ${s.text.slice(0, 200)}`);

  // A NUL character (PostgreSQL cannot hold one) is refused naming the field, not a 500.
  const nul = await env.wago.call('POST', '/message/status', { token, body: { Id: 'abc\u0000def' } });
  assert.equal(nul.status, 400, JSON.stringify(nul.body));
  assert.match(nul.body.error!, /^Id: must not contain NUL characters/);
  const nulQuery = sent.find((s) => s.route.method === 'GET' && s.route.input && s.c.label === 'every field = hostile value #6' && schemaAccepts(s.route, s.c));
  if (nulQuery) assert.equal(nulQuery.status, 400, `${nulQuery.route.path}: ${nulQuery.text}`);

  // Nothing was polluted, the server still answers, and nothing changed on either side.
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  const ok = await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data!.Connected, true);
  const afterSnap = await settled();
  assert.deepEqual(afterSnap.db, before.db, 'database rows changed');
  assert.deepEqual(JSON.parse(afterSnap.world), JSON.parse(before.world), 'WhatsApp side changed');
  t.diagnostic(`hostile input: ${sent.length} requests over ${routes.length} routes (${refused.length} refused by validation, ${sent.filter((s) => s.forged).length} with forged credentials) in ${Date.now() - started} ms`);
});
