import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, linkedSession, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// The session page's rename, owner and linked date, and the account guard rails, through the
// dashboard's tRPC procedures (needs the production build: `npm test` builds it when stale).
let env: EmulatedWago;
let admin: string;

interface Detail {
  id: string;
  name: string;
  loggedIn: boolean;
  loggedInAt: string | null;
  linkedAt: string | null;
  ownerEmail?: string | null;
}

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
});
after(async () => {
  await env?.stop();
});

async function newTenant(email: string): Promise<{ id: string; cookie: string }> {
  const created = await trpc<{ account: { id: string }; password: string }>(env.wago.url, admin, 'account.create', { email, role: 'tenant' }, { mutation: true });
  assert.equal(created.status, 200, created.error?.message);
  return { id: created.data!.account.id, cookie: (await signIn(env.wago.url, email, created.data!.password))! };
}

test('rename: the new name is stored and listed; an empty or foreign session is refused and nothing changes', async () => {
  const tenant = await newTenant('renamer@example.test');
  const created = await trpc<{ session: { id: string } }>(env.wago.url, tenant.cookie, 'session.create', { name: 'Old name' }, { mutation: true });
  const sessionId = created.data!.session.id;
  const renamed = await trpc<{ name: string }>(env.wago.url, tenant.cookie, 'session.rename', { sessionId, name: '  Support line  ' }, { mutation: true });
  assert.equal(renamed.status, 200, renamed.error?.message);
  assert.equal(renamed.data!.name, 'Support line');
  const row = await env.wago.runtime.prisma.session.findUnique({ where: { id: sessionId } });
  assert.equal(row!.name, 'Support line');
  const list = await trpc<Array<{ id: string; name: string }>>(env.wago.url, tenant.cookie, 'session.list');
  assert.equal(list.data!.find((s) => s.id === sessionId)?.name, 'Support line');

  const empty = await trpc(env.wago.url, tenant.cookie, 'session.rename', { sessionId, name: '   ' }, { mutation: true });
  assert.equal(empty.error?.code, 'BAD_REQUEST');
  assert.match(empty.error!.message, /^name: /, 'the error names the field');
  const other = await newTenant('other-renamer@example.test');
  const foreign = await trpc(env.wago.url, other.cookie, 'session.rename', { sessionId, name: 'Mine now' }, { mutation: true });
  assert.equal(foreign.error?.code, 'NOT_FOUND');
  assert.equal((await env.wago.runtime.prisma.session.findUnique({ where: { id: sessionId } }))!.name, 'Support line');
});

test('the session page shows the owner to admins only', async () => {
  const tenant = await newTenant('owner@example.test');
  const created = await trpc<{ session: { id: string } }>(env.wago.url, tenant.cookie, 'session.create', { name: 'Owned' }, { mutation: true });
  const sessionId = created.data!.session.id;
  const asAdmin = await trpc<Detail>(env.wago.url, admin, 'session.get', { sessionId });
  assert.equal(asAdmin.data!.ownerEmail, 'owner@example.test');
  const asTenant = await trpc<Detail>(env.wago.url, tenant.cookie, 'session.get', { sessionId });
  assert.equal('ownerEmail' in asTenant.data!, false, 'a tenant is not told owners');
  const api = await env.wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'api' } });
  const apiId = api.body.data!.session.id;
  const apiDetail = await trpc<Detail>(env.wago.url, admin, 'session.get', { sessionId: apiId });
  assert.equal(apiDetail.data!.ownerEmail, null, 'a session made with the admin token has no owner');
});

test('the linked date is when the link was made: unchanged by a reconnection, kept after a logout', async () => {
  const token = await linkedSession(env, 'linked');
  const row = await env.wago.runtime.prisma.session.findFirst({ where: { name: 'linked' } });
  const sessionId = row!.id;
  const first = await trpc<Detail>(env.wago.url, admin, 'session.get', { sessionId });
  assert.ok(first.data!.linkedAt, 'linked');
  const linkedAt = first.data!.linkedAt;

  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await env.wago.call('POST', '/session/disconnect', { token })).status, 200);
  assert.equal((await env.wago.call('POST', '/session/connect', { token })).status, 200);
  await waitFor('connected again', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data!.Connected);
  const again = await trpc<Detail>(env.wago.url, admin, 'session.get', { sessionId });
  assert.equal(again.data!.linkedAt, linkedAt, 'a reconnection is not a new link');
  assert.notEqual(again.data!.loggedInAt, null);

  assert.equal((await env.wago.call('POST', '/session/logout', { token })).status, 200);
  const after = await trpc<Detail>(env.wago.url, admin, 'session.get', { sessionId });
  assert.equal(after.data!.loggedIn, false);
  assert.equal(after.data!.loggedInAt, null, 'logged out');
  assert.equal(after.data!.linkedAt, linkedAt, 'the linked date stays after the logout');
});

test('account guard rails: not one’s own account, not an account that owns sessions, not the last admin; nothing is changed', async () => {
  const me = await trpc<{ id: string }>(env.wago.url, admin, 'account.me');
  const self = await trpc(env.wago.url, admin, 'account.delete', { id: me.data!.id }, { mutation: true });
  assert.equal(self.error?.code, 'BAD_REQUEST');
  assert.equal(self.error?.message, 'id: you cannot delete your own account');

  const keeper = await newTenant('keeper@example.test');
  const kept = await trpc<{ session: { id: string } }>(env.wago.url, keeper.cookie, 'session.create', { name: 'kept' }, { mutation: true });
  const owns = await trpc(env.wago.url, admin, 'account.delete', { id: keeper.id }, { mutation: true });
  assert.equal(owns.error?.code, 'CONFLICT');
  assert.equal(owns.error?.message, 'id: the account still owns 1 session; delete it first');
  const session = await env.wago.runtime.prisma.session.findUnique({ where: { id: kept.data!.session.id } });
  assert.equal(session!.ownerId, keeper.id, 'the session keeps its owner');
  assert.ok(await env.wago.runtime.prisma.account.findUnique({ where: { id: keeper.id } }), 'the account is still there');

  // A second admin may delete the first only while another admin remains.
  const second = await trpc<{ account: { id: string }; password: string }>(env.wago.url, admin, 'account.create', { email: 'admin2@example.test', role: 'admin' }, { mutation: true });
  const secondCookie = (await signIn(env.wago.url, 'admin2@example.test', second.data!.password))!;
  const tenantOnly = await newTenant('empty@example.test');
  assert.equal((await trpc(env.wago.url, secondCookie, 'account.delete', { id: tenantOnly.id }, { mutation: true })).status, 200);
  assert.equal(await env.wago.runtime.prisma.account.findUnique({ where: { id: tenantOnly.id } }), null);
  const byTenant = await trpc(env.wago.url, keeper.cookie, 'account.delete', { id: second.data!.account.id }, { mutation: true });
  assert.equal(byTenant.error?.code, 'FORBIDDEN');
});
