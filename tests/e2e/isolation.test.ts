import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { routes } from '../../server/routes/index';
import { appRouter } from '../../server/trpc/router';
import { getRuntime } from '../../server/runtime/registry';
import type { TrpcContext } from '../../server/trpc/init';
import { startEmulatedWago, linkedSession, waitFor, ALICE, OWNER_PHONE, type EmulatedWago } from '../helpers/emulated-wago';
import { closeAgent, dbSnapshot, inputFields, pool, sendRaw, worldSnapshot } from '../helpers/hostile';
import type { AnyRoute } from '../../server/http/route';

// Session A is linked and holds data (a received message, a group); session B and tenant B try
// to reach it through every REST route and every tRPC procedure. Nothing of A may be read or changed.

let env: EmulatedWago;
let tokenA: string;
let tokenB: string;
let sessionA: string;
let groupJid: string;
let messageId: string;
const SECRET = `isolation-secret-${randomUUID()}`;
const tenantA = randomUUID();
const tenantB = randomUUID();

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: env.db.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

before(async () => {
  env = await startEmulatedWago();
  tokenA = await linkedSession(env, 'tenant-a');
  const b = await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'tenant-b' } });
  tokenB = b.body.data!.token;
  groupJid = env.emu.control.createGroup(OWNER_PHONE, 'Isolation', [ALICE]).jid;
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: SECRET });
  const [row] = await waitFor('the secret stored', async () => {
    const rows = await sql<{ message_id: string; session_id: string }>(`SELECT message_id, session_id FROM messages WHERE text = $1`, [SECRET]);
    return rows.length ? rows : undefined;
  });
  sessionA = row!.session_id;
  messageId = row!.message_id;
  for (const [id, email] of [[tenantA, 'a@tenant.test'], [tenantB, 'b@tenant.test']]) {
    await sql(`INSERT INTO accounts (id, email, role, updated_at) VALUES ($1, $2, 'tenant', now())`, [id, email]);
  }
  await sql(`UPDATE sessions SET owner_id = $1 WHERE id = $2`, [tenantA, sessionA]);
});
after(async () => {
  await closeAgent();
  await env?.stop();
});

/** A plausible input naming A's things: A's contact, A's group, A's message, A's session. */
function foreignInput(fields: string[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((f) => {
      if (/session/i.test(f)) return [f, sessionA];
      if (/group|community|parent/i.test(f)) return [f, groupJid];
      if (/(message|^)ids?$/i.test(f)) return [f, /ids$/i.test(f) ? [messageId] : messageId];
      if (/phone|jid|chat|to$|user/i.test(f)) return [f, ALICE];
      if (/url/i.test(f)) return [f, 'https://example.com/hook'];
      return [f, 'isolation'];
    }),
  );
}

async function settled(scope?: string): Promise<string> {
  let last = '';
  return waitFor('a stable snapshot', async () => {
    const key = JSON.stringify({ db: await dbSnapshot(env.db.url, scope), world: worldSnapshot(env.emu) });
    if (key === last) return key;
    last = key;
    await new Promise((r) => setTimeout(r, 500));
    return undefined;
  }, 30_000);
}

/** What would show A's data leaked into an answer. */
function leaks(text: string): boolean {
  return text.includes(SECRET) || text.includes(sessionA) || text.includes(tenantA);
}

function send(route: AnyRoute, auth: Record<string, string>) {
  const input = foreignInput(inputFields(route.input));
  const c = route.method === 'GET'
    ? { label: 'foreign', query: new URLSearchParams(Object.entries(input).map(([k, v]) => [k, String(v)])).toString() }
    : { label: 'foreign', body: JSON.stringify(input) };
  return sendRaw(env.wago.url, route.method, route.path, c, auth);
}

test("every session route with another session's token: A's rows and WhatsApp side untouched, nothing of A in any answer", async (t) => {
  const before = await settled(sessionA);
  // Destructive routes of B itself (logout, delete) go last so the rest run with a live token.
  const last = (r: AnyRoute) => (/\/session\/(logout|delete)|DELETE/.test(`${r.path} ${r.method}`) ? 1 : 0);
  const sessionRoutes = routes.filter((r) => r.auth === 'session').sort((a, b) => last(a) - last(b));
  const answers = await pool(sessionRoutes, 8, async (route) => ({ route, ...(await send(route, { token: tokenB })) }));
  assert.deepEqual(answers.filter((a) => leaks(a.text)).map((a) => `${a.route.method} ${a.route.path}: ${a.text.slice(0, 200)}`), []);
  assert.deepEqual(answers.filter((a) => a.status === 500).map((a) => `${a.route.method} ${a.route.path}: ${a.text.slice(0, 200)}`), []);
  assert.equal(await settled(sessionA), before, "session A's rows or the emulated WhatsApp changed");
  // A control: A's own token finds the message that B's could not.
  const own = await env.wago.call<{ Id: string }>('POST', '/message/status', { token: tokenA, body: { Id: messageId } });
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.equal(own.body.data!.Id, messageId);
  const foreign = answers.find((x) => x.route.path === '/message/status')!;
  assert.equal(foreign.status, 404, foreign.text);
  const a = await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token: tokenA });
  assert.equal(a.body.data!.Connected, true);
  t.diagnostic(`${sessionRoutes.length} session routes called with a foreign token`);
});

test('every admin route with a session token: refused, nothing changed', async (t) => {
  const before = await settled();
  const adminRoutes = routes.filter((r) => r.auth === 'admin');
  assert.ok(adminRoutes.length > 0);
  for (const auth of [{ token: tokenA }, { admintoken: tokenA }, { token: tokenA, admintoken: tokenA }] as Array<Record<string, string>>) {
    const answers = await pool(adminRoutes, 8, async (route) => ({ route, ...(await send(route, auth)) }));
    for (const a of answers) assert.ok(a.status === 401 || a.status === 403, `${a.route.method} ${a.route.path} with ${Object.keys(auth).join('+')}: ${a.status} ${a.text.slice(0, 200)}`);
    assert.deepEqual(answers.filter((x) => leaks(x.text)).map((x) => x.route.path), []);
  }
  assert.equal(await settled(), before, 'something changed');
  t.diagnostic(`${adminRoutes.length} admin routes × 3 credential shapes refused`);
});

type Callable = (input: unknown) => Promise<unknown>;
type Proc = { _def: { procedure?: boolean; inputs?: unknown[] } };

/** The app router's procedures by dotted path (the registry, so new procedures are covered). */
function walk(node: Record<string, unknown>, prefix: string): Array<[string, Proc]> {
  return Object.entries(node).flatMap(([key, value]): Array<[string, Proc]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    const def = (value as { _def?: { procedure?: boolean; procedures?: Record<string, unknown> } })._def;
    if (def?.procedure) return [[path, value as Proc]];
    return walk((def?.procedures ?? value) as Record<string, unknown>, path);
  });
}

test('every tRPC procedure as another tenant: A is not found, not listed, not changed', async (t) => {
  const before = await settled(sessionA);
  const ctx: TrpcContext = {
    runtime: getRuntime(),
    actor: { id: tenantB, email: 'b@tenant.test', name: null, role: 'tenant' },
    sameOrigin: true,
    cookie: null,
    forwardedBy: null,
  };
  const caller = appRouter.createCaller(ctx) as unknown;
  const procedures = walk(appRouter._def.procedures as unknown as Record<string, unknown>, '');
  assert.ok(procedures.length > 10, `procedures: ${procedures.length}`);
  const outcomes: string[] = [];
  for (const [path, proc] of procedures) {
    const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Callable;
    const fields = (proc._def.inputs ?? []).flatMap((i) => inputFields(i as never));
    const input = { ...foreignInput(fields), sessionId: sessionA, id: sessionA, ownerId: tenantA, accountId: tenantA };
    try {
      const result = await fn(input);
      const text = JSON.stringify(result ?? null);
      assert.ok(!leaks(text), `${path} answered tenant B with A's data: ${text.slice(0, 300)}`);
      outcomes.push(`${path}: ok`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      assert.ok(code && code !== 'INTERNAL_SERVER_ERROR', `${path}: ${code} ${(error as Error).message}`);
      assert.ok(!leaks((error as Error).message), `${path}: error names A's data`);
      outcomes.push(`${path}: ${code}`);
    }
  }
  // Every procedure that takes a session id answers for A's exactly as for an unknown one.
  const sessionScoped = procedures.filter(([, p]) => (p._def.inputs ?? []).some((i) => inputFields(i as never).includes('sessionId'))).map(([p]) => p);
  for (const p of sessionScoped) assert.ok(outcomes.includes(`${p}: NOT_FOUND`), `${p} reached A's session: ${outcomes.find((o) => o.startsWith(`${p}:`))}`);
  assert.equal(await settled(sessionA), before, "session A's rows or the emulated WhatsApp changed");
  t.diagnostic(`${procedures.length} tRPC procedures as another tenant (${sessionScoped.length} on a session)`);
});

test('a NUL character in a tRPC input is a BAD_REQUEST naming the field, and nothing is created', async () => {
  const ctx: TrpcContext = { runtime: getRuntime(), actor: { id: tenantB, email: 'b@tenant.test', name: null, role: 'tenant' }, sameOrigin: true, cookie: null, forwardedBy: null };
  const before = await dbSnapshot(env.db.url);
  await assert.rejects(appRouter.createCaller(ctx).session.create({ name: 'nul\u0000name' }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'BAD_REQUEST', e.message);
    assert.match(e.message, /^name: must not contain NUL characters/);
    return true;
  });
  assert.deepEqual(await dbSnapshot(env.db.url), before);
});

/** Admin routes a tenant's account API key may call: each scopes itself to the tenant's sessions. Every other admin route is server-wide (403). */
const TENANT_SCOPED = ['GET /session/all', 'POST /session/delete', 'POST /session/init', 'POST /session/scanned'];

test("every admin route with a tenant's API key: scoped to its own sessions or refused (403); A untouched; the admin token keeps full reach", async (t) => {
  const ctx: TrpcContext = { runtime: getRuntime(), actor: { id: tenantB, email: 'b@tenant.test', name: null, role: 'tenant' }, sameOrigin: true, cookie: null, forwardedBy: null };
  const { key, apiKey } = await appRouter.createCaller(ctx).apiKey.create({ name: 'tenant B integration' });
  assert.match(key, /^wago_[A-Za-z0-9_-]{32}$/);
  const stored = await sql<{ key_hash: string; key_prefix: string }>(`SELECT key_hash, key_prefix FROM api_keys WHERE id = $1`, [apiKey.id]);
  assert.equal(stored.length, 1);
  assert.notEqual(stored[0]!.key_hash, key, 'the key is stored hashed');
  assert.ok(!JSON.stringify(stored).includes(key), 'the key itself is not stored');
  assert.equal(stored[0]!.key_prefix, key.slice(0, 9));

  const adminRoutes = routes.filter((r) => r.auth === 'admin');
  assert.deepEqual(adminRoutes.filter((r) => r.tenantScoped).map((r) => `${r.method} ${r.path}`).sort(), TENANT_SCOPED, 'a new tenant-scoped admin route must be added here (and checked)');
  const before = await settled(sessionA);
  const answers = await pool(adminRoutes, 4, async (route) => ({ route, ...(await send(route, { admintoken: key })) }));
  for (const a of answers) {
    const name = `${a.route.method} ${a.route.path}`;
    if (!TENANT_SCOPED.includes(name)) assert.equal(a.status, 403, `${name} is server-wide: ${a.text.slice(0, 200)}`);
    assert.notEqual(a.status, 500, `${name}: ${a.text.slice(0, 200)}`);
    assert.ok(!leaks(a.text), `${name} answered tenant B's key with A's data: ${a.text.slice(0, 300)}`);
  }
  // A named outright: unknown to B's key, by id and by token.
  const byId = await sendRaw(env.wago.url, 'POST', '/session/delete', { label: 'id', body: JSON.stringify({ Id: sessionA }) }, { admintoken: key });
  assert.equal(byId.status, 404, byId.text);
  const byToken = await sendRaw(env.wago.url, 'POST', '/session/delete', { label: 'token', body: '{}' }, { admintoken: key, token: tokenA });
  assert.equal(byToken.status, 404, byToken.text);
  assert.equal(await settled(sessionA), before, "session A's rows or the emulated WhatsApp changed");

  // /session/init makes a session B owns; /session/all lists only B's.
  const made = await env.wago.call<{ token: string; session: { id: string; ownerId: string | null } }>('POST', '/session/init', { admin: key, body: { Name: 'made with a key' } });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.equal(made.body.data!.session.ownerId, tenantB);
  const listed = await env.wago.call<Array<{ id: string; ownerId: string | null }>>('GET', '/session/all', { admin: key });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.data!.length >= 1 && listed.body.data!.every((s) => s.ownerId === tenantB), JSON.stringify(listed.body.data));
  assert.ok(listed.body.data!.some((s) => s.id === made.body.data!.session.id));
  const own = await env.wago.call('POST', '/session/delete', { admin: key, body: { Id: made.body.data!.session.id } });
  assert.equal(own.status, 200, 'B deletes its own session');

  // The admin token still reaches everything.
  const all = await env.wago.call<Array<{ id: string }>>('GET', '/session/all', { admin: true });
  assert.ok(all.body.data!.some((s) => s.id === sessionA));
  assert.equal((await env.wago.call('GET', '/server/stats', { admin: true })).status, 200);

  // Last use is recorded; a revoked key stops at once.
  const [used] = await sql<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [apiKey.id]);
  assert.ok(used!.last_used_at, 'last use recorded');
  await appRouter.createCaller(ctx).apiKey.revoke({ id: apiKey.id });
  const revoked = await env.wago.call('GET', '/session/all', { admin: key });
  assert.equal(revoked.status, 401);
  // Tenant A cannot revoke or list B's keys.
  const ctxA: TrpcContext = { ...ctx, actor: { id: tenantA, email: 'a@tenant.test', name: null, role: 'tenant' } };
  assert.deepEqual(await appRouter.createCaller(ctxA).apiKey.list(), []);
  t.diagnostic(`${adminRoutes.length} admin routes with a tenant key (${TENANT_SCOPED.length} scoped, ${adminRoutes.length - TENANT_SCOPED.length} refused)`);
});
