import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestWago, ADMIN_TOKEN } from '../helpers/wago';
import { wagoForFile } from '../helpers/wago-per-file';

interface InitData {
  token: string;
  session: { id: string; name: string; tokenPrefix: string; os: string; state: string; webhookUrl: string | null };
}

const env = wagoForFile();

function assertError(answer: { status: number; body: { code: number; success: boolean; error?: string } }, status: number, mentions?: RegExp) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.code, status);
  assert.equal(answer.body.success, false);
  assert.equal(typeof answer.body.error, 'string');
  assert.doesNotMatch(answer.body.error!, /at .*\.(ts|js):\d+/, 'no stack trace leaks');
  if (mentions) assert.match(answer.body.error!, mentions);
}

describe('GET /server/ok', () => {
  test('answers without auth in the one response shape, with a request id', async () => {
    const r = await env.wago.call<{ status: string; version: string }>('GET', '/server/ok');
    assert.equal(r.status, 200);
    assert.deepEqual({ code: r.body.code, success: r.body.success }, { code: 200, success: true });
    assert.equal(r.body.data?.status, 'ok');
    assert.match(r.body.data!.version, /^\d+\.\d+\.\d+/);
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
  test('echoes a sane caller request id', async () => {
    const res = await fetch(`${env.wago.url}/server/ok`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(res.headers.get('x-request-id'), 'abc-123');
  });
  test('wrong method on a known path is 405 JSON with Allow', async () => {
    const r = await env.wago.call('POST', '/server/ok');
    assertError(r, 405, /GET/);
    assert.equal(r.headers.get('allow'), 'GET');
  });
});

describe('POST /session/init', () => {
  test('creates a session with a generated strong token, returned once', async () => {
    const r = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: { Name: 'shop', Os: 'Shop Desk' } });
    assert.equal(r.status, 200);
    const data = r.body.data!;
    assert.match(data.token, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(data.session.name, 'shop');
    assert.equal(data.session.os, 'Shop Desk');
    assert.equal(data.session.state, 'disconnected');
    assert.equal(data.session.tokenPrefix, data.token.slice(0, 4));
    const list = await env.wago.call<Array<Record<string, unknown>>>('GET', '/session/all', { admin: true });
    const listed = list.body.data!.find((s) => s.id === data.session.id)!;
    assert.ok(listed);
    assert.equal(JSON.stringify(list.body).includes(data.token), false, 'the token is never listed');
  });
  test('stores only the SHA-256 of the token', async () => {
    const r = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: { Token: 'my-own-token-0123456789' } });
    assert.equal(r.body.data!.token, 'my-own-token-0123456789');
    const rows = await env.wago.runtime.prisma.session.findMany({ where: { id: r.body.data!.session.id } });
    assert.match(rows[0].tokenHash, /^[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    assert.equal(rows[0].tokenHash, createHash('sha256').update('my-own-token-0123456789').digest('hex'));
  });
  test('a token already in use is refused with 409', async () => {
    await env.wago.call('POST', '/session/init', { admin: true, body: { Token: 'duplicate-token-0123456789' } });
    const again = await env.wago.call('POST', '/session/init', { admin: true, body: { Token: 'duplicate-token-0123456789' } });
    assertError(again, 409, /Token/);
  });
  test('bad input: wrong types, short token, non-object, malformed JSON → 400 naming the field', async () => {
    assertError(await env.wago.call('POST', '/session/init', { admin: true, body: { Name: 42 } }), 400, /^Name: expected string/);
    assertError(await env.wago.call('POST', '/session/init', { admin: true, body: { Token: 'short' } }), 400, /^Token: must be at least 16/);
    assertError(await env.wago.call('POST', '/session/init', { admin: true, body: { Os: ['x'] } }), 400, /^Os:/);
    assertError(await env.wago.call('POST', '/session/init', { admin: true, raw: '[1,2]' }), 400, /JSON object/);
    assertError(await env.wago.call('POST', '/session/init', { admin: true, raw: '{"Name":' }), 400, /not valid JSON/);
  });
  test('auth: none → 401, wrong admin token → 401, a session token → 403', async () => {
    assertError(await env.wago.call('POST', '/session/init', { body: {} }), 401, /admintoken/);
    assertError(await env.wago.call('POST', '/session/init', { admin: 'not-the-admin-token', body: {} }), 401, /admintoken/);
    const created = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} });
    assertError(await env.wago.call('POST', '/session/init', { token: created.body.data!.token, body: {} }), 403, /admintoken/);
  });
});

describe('GET /session/all', () => {
  test('lists sessions for admins only', async () => {
    const r = await env.wago.call<unknown[]>('GET', '/session/all', { admin: true });
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.body.data));
    assertError(await env.wago.call('GET', '/session/all'), 401);
    const created = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} });
    assertError(await env.wago.call('GET', '/session/all', { token: created.body.data!.token }), 403);
  });
});

describe('webhook routes', () => {
  test('set and read the webhook URL with the session token', async () => {
    const { body } = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: { Name: 'hooks' } });
    const token = body.data!.token;
    const set = await env.wago.call<{ WebhookURL: string }>('POST', '/webhook', { token, body: { WebhookURL: 'https://example.org/hook?x=1' } });
    assert.equal(set.status, 200);
    assert.equal(set.body.data!.WebhookURL, 'https://example.org/hook?x=1');
    const get = await env.wago.call<{ WebhookURL: string }>('GET', '/webhook', { token });
    assert.equal(get.body.data!.WebhookURL, 'https://example.org/hook?x=1');
    const cleared = await env.wago.call<{ WebhookURL: string }>('POST', '/webhook', { token, body: { WebhookURL: '' } });
    assert.equal(cleared.body.data!.WebhookURL, '');
  });
  test('bad input and bad tokens', async () => {
    const { body } = await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} });
    const token = body.data!.token;
    assertError(await env.wago.call('POST', '/webhook', { token, body: {} }), 400, /^WebhookURL is required/);
    assertError(await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: 5 } }), 400, /^WebhookURL: expected string/);
    assertError(await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: 'ftp://x.org' } }), 400, /^WebhookURL: must use http/);
    assertError(await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: 'not a url' } }), 400, /^WebhookURL/);
    assertError(await env.wago.call('GET', '/webhook'), 401, /token/);
    assertError(await env.wago.call('GET', '/webhook', { token: 'no-such-token-at-all' }), 401, /token/);
    assertError(await env.wago.call('GET', '/webhook', { admin: true }), 401, /token/);
  });
});

describe('POST /session/delete', () => {
  test('deletes by session token header or by Id, and the token stops working', async () => {
    const a = (await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} })).body.data!;
    const b = (await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} })).body.data!;
    const delA = await fetch(`${env.wago.url}/session/delete`, { method: 'POST', headers: { admintoken: ADMIN_TOKEN, token: a.token } });
    assert.equal(delA.status, 200);
    assertError(await env.wago.call('GET', '/webhook', { token: a.token }), 401);
    const delB = await env.wago.call<{ deleted: string }>('POST', '/session/delete', { admin: true, body: { Id: b.session.id } });
    assert.equal(delB.body.data!.deleted, b.session.id);
    assert.equal(await env.wago.runtime.prisma.session.count({ where: { id: { in: [a.session.id, b.session.id] } } }), 0);
  });
  test('unknown session → 404, missing target → 400, bad Id → 400, session token only → 403', async () => {
    assertError(await env.wago.call('POST', '/session/delete', { admin: true, body: { Id: '00000000-0000-4000-8000-000000000000' } }), 404);
    assertError(await env.wago.call('POST', '/session/delete', { admin: true, body: {} }), 400, /Id is required/);
    assertError(await env.wago.call('POST', '/session/delete', { admin: true, body: { Id: 'nope' } }), 400, /^Id: must be a session id/);
    const a = (await env.wago.call<InitData>('POST', '/session/init', { admin: true, body: {} })).body.data!;
    assertError(await env.wago.call('POST', '/session/delete', { token: a.token }), 403);
  });
});

describe('unknown paths and oversized bodies', () => {
  test('unknown paths answer JSON 404', async () => {
    assertError(await env.wago.call('GET', '/no/such/route'), 404, /no route/);
    assertError(await env.wago.call('POST', '/session/nope', { admin: true }), 404, /no route/);
  });
  test('a second WaGo in the same process is refused: the runtime registry holds one', async () => {
    const second = await startTestWago({ databaseUrl: env.db.url }).catch((e: unknown) => e);
    assert.ok(second instanceof Error && /already registered/.test(second.message));
    assert.equal((await env.wago.call('GET', '/server/ok')).status, 200, 'the first one still serves');
  });
  test('a body over the limit is refused with 413, not a crash', async () => {
    const big = 'x'.repeat(40 * 1024 * 1024);
    const r = await env.wago.call('POST', '/session/init', { admin: true, raw: JSON.stringify({ Name: big }) });
    assertError(r, 413, /larger than/);
  });
});
