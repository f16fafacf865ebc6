import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { io as connectSocket } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';
import { LoginThrottle } from '../../server/auth/login-throttle';

// Needs the production build of the dashboard (`npm test` builds it when stale).
let db: TestDatabase;
let wago: TestWago;
let admin: string;

const env = { WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD };

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, next: true, env });
  admin = (await signIn(wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

interface Created {
  account: { id: string; email: string; role: string };
  password: string;
}
interface SessionCreated {
  session: { id: string; name: string; ownerId: string | null };
  token: string;
}

async function tenant(email: string): Promise<{ id: string; cookie: string }> {
  const created = await trpc<Created>(wago.url, admin, 'account.create', { email, role: 'tenant' }, { mutation: true });
  assert.equal(created.status, 200, `account.create: ${created.error?.message}`);
  assert.match(created.data!.password, /^[A-Za-z0-9]{20}$/, 'a generated password is returned once');
  const cookie = await signIn(wago.url, email, created.data!.password);
  assert.ok(cookie, 'the new tenant signs in with the generated password');
  return { id: created.data!.account.id, cookie: cookie! };
}

describe('accounts and sign-in', () => {
  test('the first admin is created from WAGO_ADMIN_EMAIL / WAGO_ADMIN_PASSWORD, once', async () => {
    assert.deepEqual(wago.createdAdmin, { email: ADMIN_EMAIL });
    const rows = await wago.runtime.prisma.account.findMany();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.role, 'admin');
    assert.match(rows[0]!.passwordHash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'stored as an argon2id hash');
    assert.ok(admin, 'the admin signs in');
    const me = await trpc<{ email: string; role: string }>(wago.url, admin, 'account.me');
    assert.deepEqual([me.data?.email, me.data?.role], [ADMIN_EMAIL, 'admin']);
  });

  test('a wrong password, an unknown e-mail and a forged cookie do not sign in', async () => {
    assert.equal(await signIn(wago.url, ADMIN_EMAIL, 'not-the-password'), null);
    assert.equal(await signIn(wago.url, 'nobody@example.test', ADMIN_PASSWORD), null);
    const forged = await trpc(wago.url, 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z', 'account.me');
    assert.equal(forged.error?.code, 'UNAUTHORIZED');
    const none = await trpc(wago.url, null, 'session.list');
    assert.equal(none.error?.httpStatus, 401);
  });

  test('the session cookie is http-only and SameSite=Lax', async () => {
    const csrf = await fetch(`${wago.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${wago.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
      body: new URLSearchParams({ csrfToken, email: ADMIN_EMAIL, password: ADMIN_PASSWORD, json: 'true' }),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie!, /HttpOnly/i);
    assert.match(cookie!, /SameSite=Lax/i);
  });

  test('sign-in without the CSRF token is refused', async () => {
    const res = await fetch(`${wago.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, json: 'true' }),
    });
    assert.equal(res.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=')), false);
  });

  test('the login throttle refuses after 10 failures in the window, per key, and forgets on success', () => {
    const throttle = new LoginThrottle(10, 60_000);
    const keys = ['email:a@b.c', 'ip:1.2.3.4'];
    for (let i = 0; i < 10; i++) {
      assert.equal(throttle.allowed(keys, 1000 + i), true);
      throttle.fail(keys, 1000 + i);
    }
    assert.equal(throttle.allowed(keys, 2000), false);
    assert.equal(throttle.allowed(['email:other@b.c'], 2000), true, 'another e-mail from another address is not affected');
    assert.equal(throttle.allowed(keys, 1000 + 60_001 + 9), true, 'the window passes');
    throttle.succeed(keys);
    assert.equal(throttle.allowed(keys, 2000), true);
  });

  test('admins manage accounts; a tenant may not; an account with sessions or the last admin is not deleted', async () => {
    const t = await tenant('keeper@example.test');
    const forbidden = await trpc(wago.url, t.cookie, 'account.list');
    assert.equal(forbidden.error?.code, 'FORBIDDEN');
    const createByTenant = await trpc(wago.url, t.cookie, 'account.create', { email: 'x@example.test', role: 'admin' }, { mutation: true });
    assert.equal(createByTenant.error?.code, 'FORBIDDEN');
    const dup = await trpc(wago.url, admin, 'account.create', { email: 'KEEPER@example.test', role: 'tenant' }, { mutation: true });
    assert.equal(dup.error?.code, 'CONFLICT');
    assert.match(dup.error!.message, /^email:/);
    const bad = await trpc(wago.url, admin, 'account.create', { email: 'not-an-email', role: 'tenant' }, { mutation: true });
    assert.equal(bad.error?.code, 'BAD_REQUEST');
    assert.match(bad.error!.message, /^email: /, 'the error names the field');
    await trpc(wago.url, t.cookie, 'session.create', { name: 'kept' }, { mutation: true });
    const refused = await trpc(wago.url, admin, 'account.delete', { id: t.id }, { mutation: true });
    assert.equal(refused.error?.code, 'CONFLICT');
    assert.match(refused.error!.message, /owns 1 session/);
    const me = await trpc<{ id: string }>(wago.url, admin, 'account.me');
    const self = await trpc(wago.url, admin, 'account.delete', { id: me.data!.id }, { mutation: true });
    assert.equal(self.error?.code, 'BAD_REQUEST');
    const list = await trpc<Array<{ email: string; sessions: number }>>(wago.url, admin, 'account.list');
    assert.equal(list.data!.find((a) => a.email === 'keeper@example.test')?.sessions, 1);
  });

  test('changing one’s password needs the current one; the old one stops working; every sign-in before it ends', async () => {
    const t = await tenant('changer@example.test');
    const wrong = await trpc(wago.url, t.cookie, 'account.changePassword', { current: 'wrong-password', next: 'a-new-password-1' }, { mutation: true });
    assert.equal(wrong.error?.code, 'BAD_REQUEST');
    const short = await trpc(wago.url, t.cookie, 'account.changePassword', { current: 'x', next: 'short' }, { mutation: true });
    assert.match(short.error?.message ?? '', /^next: must be at least 10 characters/);
    await new Promise((r) => setTimeout(r, 1100)); // sign-ins carry whole seconds
    const reset = await trpc<{ password: string }>(wago.url, admin, 'account.resetPassword', { id: t.id }, { mutation: true });
    assert.equal((await trpc(wago.url, t.cookie, 'account.me')).error?.code, 'UNAUTHORIZED', 'a reset signs the account out everywhere');
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await signIn(wago.url, 'changer@example.test', reset.data!.password);
    assert.ok(fresh);
    const other = await signIn(wago.url, 'changer@example.test', reset.data!.password);
    assert.equal((await trpc(wago.url, other, 'account.me')).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const changed = await trpc(wago.url, fresh, 'account.changePassword', { current: reset.data!.password, next: 'a-new-password-1' }, { mutation: true });
    assert.equal(changed.status, 200);
    assert.equal((await trpc(wago.url, other, 'account.me')).error?.code, 'UNAUTHORIZED', 'a new password signs out the other browsers');
    assert.equal(await signIn(wago.url, 'changer@example.test', reset.data!.password), null);
    assert.ok(await signIn(wago.url, 'changer@example.test', 'a-new-password-1'));
  });

  test('a deleted account’s cookie stops working at once', async () => {
    const t = await tenant('leaver@example.test');
    assert.equal((await trpc(wago.url, t.cookie, 'session.list')).status, 200);
    const deleted = await trpc(wago.url, admin, 'account.delete', { id: t.id }, { mutation: true });
    assert.equal(deleted.status, 200, deleted.error?.message);
    assert.equal((await trpc(wago.url, t.cookie, 'session.list')).error?.code, 'UNAUTHORIZED');
  });
});

describe('tenant isolation', () => {
  let alice: { id: string; cookie: string };
  let bob: { id: string; cookie: string };
  let aliceSession: SessionCreated;
  let bobSession: SessionCreated;
  let apiSession: string;

  before(async () => {
    alice = await tenant('alice@example.test');
    bob = await tenant('bob@example.test');
    aliceSession = (await trpc<SessionCreated>(wago.url, alice.cookie, 'session.create', { name: 'alice-1' }, { mutation: true })).data!;
    bobSession = (await trpc<SessionCreated>(wago.url, bob.cookie, 'session.create', { name: 'bob-1' }, { mutation: true })).data!;
    apiSession = (await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'by-api' } })).body.data!.session.id;
  });

  test('a tenant lists only its own sessions; an admin lists all, with owners', async () => {
    const mine = await trpc<Array<{ id: string }>>(wago.url, alice.cookie, 'session.list');
    assert.deepEqual(mine.data!.map((s) => s.id), [aliceSession.session.id]);
    const filtered = await trpc<Array<{ id: string }>>(wago.url, alice.cookie, 'session.list', { ownerId: bob.id });
    assert.deepEqual(filtered.data!.map((s) => s.id), [aliceSession.session.id], 'a tenant cannot list by another owner');
    const all = await trpc<Array<{ id: string; ownerEmail: string | null }>>(wago.url, admin, 'session.list');
    const owners = Object.fromEntries(all.data!.map((s) => [s.id, s.ownerEmail]));
    assert.equal(owners[aliceSession.session.id], 'alice@example.test');
    assert.equal(owners[bobSession.session.id], 'bob@example.test');
    assert.equal(owners[apiSession], null, 'a session made with the admin token has no owner');
    assert.equal(aliceSession.session.ownerId, alice.id);
    assert.match(aliceSession.token, /^[A-Za-z0-9_-]{32}$/, 'the token is returned at creation');
  });

  test("every procedure on another tenant's session answers NOT_FOUND, exactly like a missing one", async () => {
    const other = bobSession.session.id;
    const calls: Array<[string, unknown, boolean]> = [
      ['session.get', { sessionId: other }, false],
      ['session.status', { sessionId: other }, false],
      ['session.qr', { sessionId: other }, false],
      ['webhook.get', { sessionId: other }, false],
      ['webhook.deliveries', { sessionId: other }, false],
      ['message.list', { sessionId: other }, false],
      ['session.connect', { sessionId: other }, true],
      ['session.delete', { sessionId: other }, true],
      ['session.regenerateToken', { sessionId: other }, true],
      ['webhook.update', { sessionId: other, url: 'http://127.0.0.1:1/x' }, true],
      ['webhook.test', { sessionId: other }, true],
      ['webhook.redeliver', { sessionId: other, eventId: '00000000-0000-4000-8000-000000000000' }, true],
      ['message.sendText', { sessionId: other, phone: '15550002001', body: 'hi' }, true],
      ['group.list', { sessionId: other }, false],
      ['group.inviteLink', { sessionId: other, groupJid: '120363000000000001@g.us' }, false],
      ['group.resetInviteLink', { sessionId: other, groupJid: '120363000000000001@g.us' }, true],
      ['group.rename', { sessionId: other, groupJid: '120363000000000001@g.us', name: 'mine now' }, true],
      ['group.leave', { sessionId: other, groupJid: '120363000000000001@g.us' }, true],
      ['contact.list', { sessionId: other }, false],
      ['contact.blocklist', { sessionId: other }, false],
      ['contact.block', { sessionId: other, phone: '15550002001' }, true],
      ['contact.unblock', { sessionId: other, phone: '15550002001' }, true],
      ['calls.active', { sessionId: other }, false],
      ['calls.history', { sessionId: other }, false],
      ['calls.recordings', { sessionId: other }, false],
      ['calls.webrtcConfig', { sessionId: other }, false],
      ['calls.answer', { sessionId: other, callId: 'CALL1' }, true],
      ['calls.reject', { sessionId: other, callId: 'CALL1' }, true],
      ['calls.hangup', { sessionId: other, callId: 'CALL1' }, true],
      ['calls.play', { sessionId: other, callId: 'CALL1', audioFile: 'tone.wav' }, true],
      ['calls.playback', { sessionId: other, callId: 'CALL1', action: 'stop' }, true],
      ['calls.record', { sessionId: other, callId: 'CALL1' }, true],
      ['calls.recordStop', { sessionId: other, callId: 'CALL1' }, true],
      ['calls.webrtcOffer', { sessionId: other, callId: 'CALL1', sdp: 'v=0\r\n' }, true],
      ['calls.webrtcClose', { sessionId: other, callId: 'CALL1' }, true],
      ['label.list', { sessionId: other }, false],
      ['newsletter.list', { sessionId: other }, false],
      ['business.view', { sessionId: other }, false],
      ['session.get', { sessionId: apiSession }, false],
      ['session.get', { sessionId: 'not-a-uuid' }, false],
      ['session.get', { sessionId: '00000000-0000-4000-8000-000000000000' }, false],
    ];
    for (const [path, input, mutation] of calls) {
      const r = await trpc(wago.url, alice.cookie, path, input, { mutation });
      assert.equal(r.error?.code, 'NOT_FOUND', `${path} ${JSON.stringify(input)} → ${r.status} ${r.error?.message}`);
      assert.equal(r.error?.message, 'sessionId: no such session');
    }
    // a recording of another tenant's session is not found either (and needs a sign-in at all)
    const download = (cookie: string | null) =>
      fetch(`${wago.url}/api/call-recordings?${new URLSearchParams({ sessionId: other, path: 'x.wav' })}`, { headers: cookie ? { cookie } : {} });
    const foreign = await download(alice.cookie);
    assert.equal(foreign.status, 404);
    assert.equal(((await foreign.json()) as { error: string }).error, 'sessionId: no such session');
    assert.equal((await download(null)).status, 401);
    const still = await trpc<{ name: string; webhookUrl: string | null }>(wago.url, bob.cookie, 'session.get', { sessionId: other });
    assert.equal(still.data!.name, 'bob-1', "bob's session is untouched");
    assert.equal(still.data!.webhookUrl, null);
    const bobToken = await wago.call('GET', '/session/status', { token: bobSession.token });
    assert.equal(bobToken.status, 200, "bob's token still works (not regenerated)");
    const adminSees = await trpc(wago.url, admin, 'session.get', { sessionId: other });
    assert.equal(adminSees.status, 200, 'an admin reaches every session');
  });

  test('mutations from another site are refused (CSRF); the same call from our origin works', async () => {
    const cross = await trpc(wago.url, alice.cookie, 'session.create', { name: 'csrf' }, { mutation: true, origin: 'https://evil.example' });
    assert.equal(cross.error?.code, 'FORBIDDEN');
    const mine = await trpc<Array<{ name: string }>>(wago.url, alice.cookie, 'session.list');
    assert.equal(mine.data!.some((s) => s.name === 'csrf'), false, 'nothing was created');
  });

  test('regenerating a token: the new one works at once, the old one no longer', async () => {
    const r = await trpc<{ token: string; tokenPrefix: string }>(wago.url, alice.cookie, 'session.regenerateToken', { sessionId: aliceSession.session.id }, { mutation: true });
    assert.equal(r.data!.tokenPrefix, r.data!.token.slice(0, 4));
    assert.equal((await wago.call('GET', '/session/status', { token: aliceSession.token })).status, 401);
    assert.equal((await wago.call('GET', '/session/status', { token: r.data!.token })).status, 200);
    aliceSession.token = r.data!.token;
  });

  test('socket.io: a signed-in tenant joins its own sessions’ rooms only; no cookie, no connection; other sites refused', async () => {
    const socket = connectSocket(wago.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: { cookie: alice.cookie } });
    try {
      const ready = await new Promise<{ accountId: string }>((resolve, reject) => {
        socket.on('ready', resolve);
        socket.on('connect_error', reject);
      });
      assert.equal(ready.accountId, alice.id);
      const answer = await socket.emitWithAck('subscribe', [aliceSession.session.id, bobSession.session.id, apiSession]);
      assert.deepEqual(answer, { joined: [aliceSession.session.id], refused: [bobSession.session.id, apiSession] });
      const got: string[] = [];
      socket.on('event', (e: { sessionId: string; type: string }) => got.push(`${e.type}:${e.sessionId}`));
      for (const [cookie, id] of [[alice.cookie, aliceSession.session.id], [bob.cookie, bobSession.session.id]] as const) {
        const set = await trpc(wago.url, cookie, 'webhook.update', { sessionId: id, url: 'http://127.0.0.1:9/hook' }, { mutation: true });
        assert.equal(set.status, 200, set.error?.message);
        const sent = await trpc(wago.url, cookie, 'webhook.test', { sessionId: id }, { mutation: true });
        assert.equal(sent.status, 200, sent.error?.message);
      }
      const deadline = Date.now() + 5000;
      while (!got.includes(`Test:${aliceSession.session.id}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(got, [`Test:${aliceSession.session.id}`], "only alice's own event arrives");
    } finally {
      socket.close();
    }
    for (const [what, headers, pattern] of [
      ['no cookie', {}, /authentication failed/],
      ['another site', { cookie: alice.cookie, origin: 'https://evil.example' }, /cross-site/],
    ] as const) {
      const refused = connectSocket(wago.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: headers });
      const error = await new Promise<Error>((resolve) => refused.on('connect_error', resolve));
      refused.close();
      assert.match(error.message, pattern, what);
    }
  });
});
