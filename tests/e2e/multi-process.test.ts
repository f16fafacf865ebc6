import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { waitFor, listen, OWNER_PHONE, ALICE, emulatorEnv } from '../helpers/emulated-wago';

const ADMIN = 'multi-process-admin-token-0123';
/** Redis for the socket.io adapter; `npm test` says "none" when no Redis answers. */
const REDIS = process.env.WAGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let emu: Emulator;
let db: TestDatabase;
const processes: WagoProcess[] = [];

after(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await emu?.stop();
  await db?.drop();
});

async function call<T>(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data: T; error?: string };
  if (res.status !== 200 && process.env.DEBUG_MP) console.log(method, path, res.status, json.error);
  return { status: res.status, data: json.data };
}

/** Live emulator connections of the owner's linked devices (logged in). */
const liveConnections = () => emu.control.connections().filter((c) => c.loggedIn && c.device?.startsWith(`${OWNER_PHONE}:`)).length;

test('two WaGo processes on one database and Redis: one owner per session, events reach any process, killing the owner moves it', async (t) => {
  emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  db = await createTestDatabase();
  const env = {
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: ADMIN,
    ...emulatorEnv(emu),
    WAGO_LEASE_TTL_MS: '3000',
    ...(REDIS === 'none' ? {} : { REDIS_URL: REDIS }),
  };
  const a = await spawnWago(env);
  processes.push(a);
  const b = await spawnWago(env);
  processes.push(b);

  const init = await call<{ token: string }>(a.url, 'POST', '/session/init', { admintoken: ADMIN }, { Name: 'ha' });
  const token = init.data.token;
  // Linking starts on B; the QR is read through A (forwarded to B, which runs the session).
  const started = await call<{ State: string }>(b.url, 'POST', '/session/connect', { token });
  assert.equal(started.data.State, 'qr');
  const qr = await call<{ Code: string }>(a.url, 'GET', '/session/qr', { token });
  assert.equal(qr.status, 200, 'A forwards to B, which holds the QR');
  await emu.control.scanQr(qr.data.Code, OWNER_PHONE);
  for (const p of [a, b]) {
    await waitFor('connected through both processes', async () => (await call<{ Connected: boolean }>(p.url, 'GET', '/session/status', { token })).data.Connected);
  }
  // Over a few seconds of lease heartbeats, exactly one connection exists.
  for (let i = 0; i < 20; i++) {
    assert.equal(liveConnections(), 1, 'exactly one process runs the session');
    await new Promise((r) => setTimeout(r, 150));
  }

  // socket.io through Redis: a client connected to A sees events of the session B runs.
  if (REDIS === 'none') {
    t.diagnostic('no Redis: socket.io across processes not checked');
  } else {
    const live = await listen(a.url, token);
    await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'across processes' });
    await live.next('Message', (e) => (e.data as { text?: string }).text === 'across processes');
    live.socket.close();
  }

  // Kill the owner (B) without warning: A takes the session over once the lease expires.
  const killedAt = Date.now();
  await b.kill('SIGKILL');
  await waitFor('takeover by A', async () => (await call<{ Connected: boolean } | undefined>(a.url, 'GET', '/session/status', { token })).data?.Connected, 30_000);
  const takeoverMs = Date.now() - killedAt;
  console.log(`session moved to the surviving process in ${takeoverMs} ms (lease TTL 3000 ms)`);
  assert.ok(takeoverMs < 3000 * 3 + 5000, `takeover within bounded time (${takeoverMs} ms)`);
  await waitFor('one live connection', async () => liveConnections() === 1);
});
