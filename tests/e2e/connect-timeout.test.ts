import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { listen, waitFor } from '../helpers/emulated-wago';

// A WhatsApp endpoint that accepts the WebSocket and then never answers the handshake.
let silent: WebSocketServer;
let connections = 0;
let db: TestDatabase;
let wago: TestWago;

before(async () => {
  silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  silent.on('connection', () => (connections += 1));
  await new Promise((resolve) => silent.once('listening', resolve));
  const { port } = silent.address() as { port: number };
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, env: { WAGO_WA_WS_URL: `ws://127.0.0.1:${port}/ws/chat`, WAGO_CONNECT_TIMEOUT_MS: '800' } });
});
after(async () => {
  await wago?.stop();
  await db?.drop();
  await new Promise((resolve) => silent?.close(resolve));
});

test('a connection WhatsApp never answers is closed after WAGO_CONNECT_TIMEOUT_MS and retried with backoff', async () => {
  const init = await wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'silent' } });
  const token = init.body.data!.token;
  const live = await listen(wago.url, token);
  const started = Date.now();
  await wago.call('POST', '/session/connect', { token, body: { Immediate: true } });
  const closed = await live.next('Disconnected', undefined, 10_000);
  const elapsed = Date.now() - started;
  assert.match(String((closed.data as { reason: string }).reason), /did not answer the connection within 800 ms/);
  assert.equal((closed.data as { willReconnect: boolean }).willReconnect, true);
  assert.ok(elapsed >= 700 && elapsed < 5000, `closed after ${elapsed} ms`);
  // The retry opens a new connection (backoff: at most 1 s for the first attempt), which times out too.
  await waitFor('a reconnect', async () => connections >= 2, 10_000);
  const status = await wago.call<{ State: string; LastError: string | null }>('GET', '/session/status', { token });
  assert.equal(status.body.data!.State, 'connecting');
  await wago.call('POST', '/session/disconnect', { token });
  assert.equal((await wago.call<{ State: string }>('GET', '/session/status', { token })).body.data!.State, 'disconnected');
  live.socket.close();
});
