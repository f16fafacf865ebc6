import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN } from '../helpers/wago';
import { wagoForFile } from '../helpers/wago-per-file';
import { queryRows } from '../helpers/db';
import { waitFor } from '../helpers/emulated-wago';
import { appRouter } from '../../server/trpc/router';
import { getRuntime } from '../../server/runtime/registry';
import type { TrpcContext } from '../../server/trpc/init';
import type { AuditEntryView } from '../../server/services/audit.service';

const env = wagoForFile();

type Page = { Entries: AuditEntryView[]; NextCursor: string | null };
const audit = async (query = '') => {
  const r = await env.wago.call<Page>('GET', `/admin/audit${query}`, { admin: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!;
};
/** Entries are written after the answer: wait for one matching. */
const entry = (pred: (e: AuditEntryView) => boolean, what: string) =>
  waitFor(what, async () => (await audit('?Limit=500')).Entries.find(pred), 10_000);

test('admin and destructive REST calls are audited with actor, target, address, outcome; reads and refused credentials are not; no secret is stored', async () => {
  const init = await env.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'audited', Token: 'audit-session-token-0123456789' } });
  assert.equal(init.status, 200);
  const { token, session } = init.body.data!;
  const created = await entry((e) => e.Action === 'POST /session/init', 'the init entry');
  assert.equal(created.ActorKind, 'admin-token');
  assert.equal(created.ActorLabel, 'admin token');
  assert.match(created.ActorId!, /^[0-9a-f]{12}$/);
  assert.equal(created.SessionId, session.id);
  assert.equal(created.Status, 200);
  assert.equal(created.Ip, '127.0.0.1');
  assert.ok(created.UserAgent, 'user agent recorded');
  assert.match(created.RequestId!, /^[0-9a-f-]{36}$/);

  // A destructive session route: the session token acts on its own session.
  const hook = await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: 'https://example.com/hook' } });
  assert.equal(hook.status, 200);
  const hooked = await entry((e) => e.Action === 'POST /webhook', 'the webhook entry');
  assert.deepEqual([hooked.ActorKind, hooked.ActorId, hooked.ActorLabel, hooked.SessionId, hooked.Status], ['session-token', session.id, 'audited', session.id, 200]);
  // The outcome of a refused call is recorded too (logout of a session never linked).
  const logout = await env.wago.call('POST', '/session/logout', { token });
  const loggedOut = await entry((e) => e.Action === 'POST /session/logout', 'the logout entry');
  assert.equal(loggedOut.Status, logout.status);

  // Reads of a session and refused credentials leave no entry.
  assert.equal((await env.wago.call('GET', '/session/status', { token })).status, 200);
  assert.equal((await env.wago.call('GET', '/session/all', { admin: 'forged-admin-token-000000' })).status, 401);
  assert.equal((await env.wago.call('POST', '/session/delete', { token: 'forged-session-token-0000000', body: {} })).status, 403);

  const deleted = await env.wago.call('POST', '/session/delete', { admin: true, body: { Id: session.id } });
  assert.equal(deleted.status, 200);
  const gone = await entry((e) => e.Action === 'POST /session/delete', 'the delete entry');
  assert.equal(gone.SessionId, session.id, 'the target outlives the session');

  const all = (await audit('?Limit=500')).Entries;
  assert.ok(!all.some((e) => e.Action === 'GET /session/status'), 'session reads are not audited');
  assert.equal(all.filter((e) => e.Status === 401 || e.Status === 403).length, 0, 'unauthenticated calls are not audited');
  const raw = JSON.stringify(await queryRows(env.db.url, 'SELECT * FROM audit_log'));
  for (const secret of [token, ADMIN_TOKEN, 'https://example.com/hook']) assert.ok(!raw.includes(secret), `the audit log holds ${secret}`);
});

test('dashboard mutations are audited as the account, with the target; queries are not', async () => {
  const [admin] = await queryRows<{ id: string; email: string }>(env.db.url, `SELECT id, email FROM accounts WHERE role = 'admin' LIMIT 1`);
  const ctx: TrpcContext = {
    runtime: getRuntime(),
    actor: { id: admin!.id, email: admin!.email, name: null, role: 'admin' },
    sameOrigin: true,
    cookie: null,
    forwardedBy: null,
    client: { ip: '203.0.113.7', userAgent: 'audit-test-browser' },
  };
  const caller = appRouter.createCaller(ctx);
  const created = await caller.session.create({ name: 'from the dashboard' });
  await caller.session.list();
  await caller.session.delete({ sessionId: created.session.id });
  const entries = await waitFor('both dashboard entries', async () => {
    const page = await audit('?ActorKind=account');
    return page.Entries.length >= 2 ? page.Entries : undefined;
  });
  assert.deepEqual(entries.map((e) => e.Action), ['trpc session.delete', 'trpc session.create']);
  const del = entries[0]!;
  assert.deepEqual([del.ActorId, del.ActorLabel, del.SessionId, del.Ip, del.UserAgent, del.Status], [admin!.id, admin!.email, created.session.id, '203.0.113.7', 'audit-test-browser', 200]);
  // A refused mutation is recorded with its status.
  await assert.rejects(caller.account.delete({ id: '00000000-0000-4000-8000-000000000000' }));
  const refused = await entry((e) => e.Action === 'trpc account.delete', 'the refused account.delete');
  assert.equal(refused.AccountId, '00000000-0000-4000-8000-000000000000');
  assert.ok(refused.Status >= 400 && refused.Status < 500, `status ${refused.Status}`);
});

test('GET /admin/audit: filters, cursor pagination, clear 400s, admin only', async () => {
  const all = (await audit('?Limit=500')).Entries;
  assert.ok(all.length >= 6, `entries: ${all.length}`);
  // Pages of 2 walk every entry once, newest first.
  const seen: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: Page = await audit(`?Limit=2${cursor ? `&Cursor=${cursor}` : ''}`);
    assert.ok(page.Entries.length <= 2);
    seen.push(...page.Entries.map((e) => e.Id));
    cursor = page.NextCursor;
  }
  // The list itself is audited as it is read: compare what both saw.
  assert.deepEqual(seen.slice(-all.length), all.map((e) => e.Id));
  assert.deepEqual([...seen].sort((a, b) => Number(b) - Number(a)), seen, 'newest first');
  for (const [query, pred] of [
    ['?ActorKind=session-token', (e: AuditEntryView) => e.ActorKind === 'session-token'],
    ['?Action=POST%20/session/', (e: AuditEntryView) => e.Action.startsWith('POST /session/')],
    [`?Until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&Since=2020-01-01`, () => true],
  ] as const) {
    const page = await audit(query);
    assert.ok(page.Entries.length > 0, query);
    assert.ok(page.Entries.every(pred), query);
  }
  const one = all.find((e) => e.SessionId)!;
  assert.ok((await audit(`?SessionId=${one.SessionId}`)).Entries.every((e) => e.SessionId === one.SessionId));
  assert.equal((await audit('?Since=2999-01-01')).Entries.length, 0);
  for (const [query, field] of [['?Cursor=abc', 'Cursor'], ['?ActorKind=root', 'ActorKind'], ['?Since=yesterday', 'Since'], ['?Limit=0', 'Limit'], ['?SessionId=1', 'SessionId']]) {
    const r = await env.wago.call('GET', `/admin/audit${query}`, { admin: true });
    assert.equal(r.status, 400, query);
    assert.match(r.body.error!, new RegExp(`^${field}: `), query);
  }
  const token = (await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: {} })).body.data!.token;
  assert.equal((await env.wago.call('GET', '/admin/audit', { token })).status, 403);
  assert.equal((await env.wago.call('GET', '/admin/audit', { admin: token })).status, 401);
});

test('entries past WAGO_AUDIT_RETENTION_DAYS are deleted by the sweep', async () => {
  const { auditRepository } = await import('../../server/repositories/audit.repository');
  await queryRows(env.db.url, `INSERT INTO audit_log (at, actor_kind, action, status) VALUES (now() - interval '100 days', 'admin-token', 'POST /old', 200)`);
  assert.equal((await audit('?Action=POST%20/old')).Entries.length, 1);
  assert.equal(await auditRepository.deleteOlderThan(new Date(Date.now() - 90 * 86_400_000)), 1);
  assert.equal((await audit('?Action=POST%20/old')).Entries.length, 0);
});
