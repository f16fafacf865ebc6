import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { getRuntime } from '../../server/runtime/registry';

// Needs the production build of the dashboard (`npm test` builds it when stale).
let db: TestDatabase;
let wago: TestWago;

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, next: true });
});
after(async () => {
  await wago?.stop();
  await db?.drop();
});

test("Next's bundled route code and the custom server see one runtime registry instance", async () => {
  const res = await fetch(`${wago.url}/api/trpc/system.health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { result: { data: { instanceId: string; socketIo: boolean; version: string } } };
  assert.equal(body.result.data.instanceId, getRuntime().instanceId);
  assert.equal(body.result.data.instanceId, wago.runtime.instanceId);
  assert.equal(body.result.data.socketIo, true, 'Next sees the socket.io server the custom server mounted');
});

test('Next renders the home page with live server data, REST still answers JSON beside it', async () => {
  const home = await fetch(`${wago.url}/`);
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /Server is up/);
  assert.match(html, new RegExp(`version.*${wago.runtime.version.replace(/\./g, '\\.')}`));
  const ok = await wago.call('GET', '/server/ok');
  assert.equal(ok.body.success, true);
  const unknown = await wago.call('GET', '/definitely/not/here');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.success, false);
});

test('/docs serves the API reference page and its renderer offline; /openapi.json the document', async () => {
  const page = await fetch(`${wago.url}/docs`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /data-url="\/openapi\.json"/);
  const script = await fetch(`${wago.url}/docs/assets/standalone.js`);
  assert.equal(script.status, 200);
  assert.ok((await script.arrayBuffer()).byteLength > 100_000);
  const doc = (await (await fetch(`${wago.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/session/init']);
  const escape = await fetch(`${wago.url}/docs/assets/..%2F..%2F..%2Fpackage.json`);
  assert.equal(escape.status, 404);
});

test('socket.io: auth.events narrows a token client to those event types; an unknown type is refused by name', async () => {
  const created = await wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: {} });
  const { token } = created.body.data!;
  // A webhook URL nobody answers: /webhook/test needs one, and the event is published before any attempt.
  assert.equal((await wago.call('POST', '/webhook', { token, body: { WebhookURL: 'http://127.0.0.1:9/hook' } })).status, 200);
  const open = async (events?: unknown) => {
    const socket = connect(wago.url, { path: '/socket.io', auth: events === undefined ? { token } : { token, events }, transports: ['websocket'], reconnection: false });
    const got: Array<{ type: string; id: string }> = [];
    socket.on('event', (e: { type: string; id: string }) => got.push(e));
    const ready = await new Promise<{ events: unknown }>((resolve, reject) => {
      socket.on('ready', resolve);
      socket.on('connect_error', reject);
    });
    return { socket, got, ready };
  };
  const all = await open();
  const tests = await open(['Test']);
  const testsByString = await open('ReadReceipt, Test');
  const receipts = await open(['ReadReceipt', 'Message']);
  assert.equal(all.ready.events, 'All');
  assert.deepEqual(tests.ready.events, ['Test']);
  assert.deepEqual(testsByString.ready.events, ['ReadReceipt', 'Test']);
  const fired = await wago.call<{ EventId: string }>('POST', '/webhook/test', { token });
  assert.equal(fired.status, 200);
  const id = fired.body.data!.EventId;
  const arrived = (c: { got: Array<{ id: string }> }) => c.got.some((e) => e.id === id);
  for (let i = 0; i < 100 && !(arrived(all) && arrived(tests) && arrived(testsByString)); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(arrived(all), 'a client of every type got the Test event');
  assert.ok(arrived(tests) && arrived(testsByString), 'clients that asked for Test got it');
  assert.equal(tests.got.filter((e) => e.id === id).length, 1, 'once');
  // One emit reaches every room's clients at once: by now a client that was sent it would have it.
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(receipts.got, [], 'a client of ReadReceipt and Message got nothing');
  for (const c of [all, tests, testsByString, receipts]) c.socket.close();

  const bad = connect(wago.url, { path: '/socket.io', auth: { token, events: ['ReadReceipt', 'Receipts'] }, transports: ['websocket'], reconnection: false });
  const refusal = await new Promise<Error>((resolve) => bad.on('connect_error', resolve));
  assert.match(refusal.message, /^events\[1\]: unknown event type "Receipts"; use "All" or one of /);
  bad.close();
});

test('socket.io accepts a session token and refuses a wrong one', async () => {
  const created = await wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: {} });
  const { token, session } = created.body.data!;
  const good = connect(wago.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
  const ready = await new Promise<{ sessionId: string }>((resolve, reject) => {
    good.on('ready', resolve);
    good.on('connect_error', reject);
  });
  assert.equal(ready.sessionId, session.id);
  good.close();
  const bad = connect(wago.url, { path: '/socket.io', auth: { token: 'wrong-token-wrong-token' }, transports: ['websocket'], reconnection: false });
  const refusal = await new Promise<Error>((resolve) => bad.on('connect_error', resolve));
  assert.match(refusal.message, /not a valid session token/);
  bad.close();
});
