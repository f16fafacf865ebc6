import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { WebSocketServer } from 'ws';
import { startTestWago } from '../helpers/wago';
import { waitFor, OWNER_PHONE, ALICE, emulatorEnv } from '../helpers/emulated-wago';

const ADMIN = 'crash-resume-admin-token-0123';
/** Long enough that nothing below can be explained by a lease expiring. */
const LEASE_TTL_MS = 60_000;
let emu: Emulator;
let db: TestDatabase;
const processes: WagoProcess[] = [];
const dirs: string[] = [];

after(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await emu?.stop();
  await db?.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Answer<T> {
  status: number;
  data: T;
  error?: string;
  retryAfter: string | null;
}

async function call<T>(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data: T; error?: string };
  return { status: res.status, data: json.data, error: json.error, retryAfter: res.headers.get('retry-after') };
}

type Status = { State: string; Connected: boolean; LastError: string | null };

/** Live emulator connections of the owner's linked devices (logged in). */
const liveConnections = () => emu.control.connections().filter((c) => c.loggedIn && c.device?.startsWith(`${OWNER_PHONE}:`)).length;

test('a WaGo killed with SIGKILL takes its own sessions back at once when it restarts; meanwhile another process says it waits for the lease and answers 503 with Retry-After', async () => {
  emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  db = await createTestDatabase();
  const dataA = await mkdtemp(join(tmpdir(), 'wago-a-'));
  const dataB = await mkdtemp(join(tmpdir(), 'wago-b-'));
  dirs.push(dataA, dataB);
  const env = {
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: ADMIN,
    WAGO_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ...emulatorEnv(emu),
    WAGO_LEASE_TTL_MS: String(LEASE_TTL_MS),
  };
  const a = await spawnWago({ ...env, WAGO_DATA_DIR: dataA });
  processes.push(a);
  const init = await call<{ token: string }>(a.url, 'POST', '/session/init', { admintoken: ADMIN }, { Name: 'crash' });
  const token = init.data.token;
  const started = await call<Status>(a.url, 'POST', '/session/connect', { token });
  assert.equal(started.data.State, 'qr');
  const qr = await call<{ Code: string }>(a.url, 'GET', '/session/qr', { token });
  await emu.control.scanQr(qr.data.Code, OWNER_PHONE);
  await waitFor('connected', async () => (await call<Status>(a.url, 'GET', '/session/status', { token })).data.Connected);

  // Killed without warning: its lease stays in PostgreSQL for another minute.
  await a.kill('SIGKILL');
  await waitFor('the emulator saw the connection drop', async () => liveConnections() === 0);

  // Another process (its own data folder, so another identity) must wait for that lease.
  const b = await spawnWago({ ...env, WAGO_DATA_DIR: dataB });
  processes.push(b);
  const waiting = await call<Status>(b.url, 'GET', '/session/status', { token });
  assert.equal(waiting.status, 200);
  assert.equal(waiting.data.State, 'waiting_for_lease');
  assert.equal(waiting.data.Connected, false);
  assert.match(String(waiting.data.LastError), /another WaGo process holds the session's lease until \d{4}-/);
  const refused = await call(b.url, 'POST', '/send/text', { token }, { Phone: ALICE, Body: 'while waiting' });
  assert.equal(refused.status, 503, refused.error);
  assert.match(String(refused.error), /lease/);
  const retryAfter = Number(refused.retryAfter);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= LEASE_TTL_MS / 1000, `Retry-After: ${refused.retryAfter}`);
  const reconnect = await call(b.url, 'POST', '/session/connect', { token });
  assert.equal(reconnect.status, 503, reconnect.error);
  assert.ok(Number(reconnect.retryAfter) >= 1);
  assert.equal(liveConnections(), 0, 'B did not run the session');
  await b.kill('SIGTERM');

  // The same WaGo (same data folder) restarts: it takes its own lease back at once, long before it expires.
  const restartedAt = Date.now();
  const a2 = await spawnWago({ ...env, WAGO_DATA_DIR: dataA });
  processes.push(a2);
  await waitFor('connected again', async () => (await call<Status>(a2.url, 'GET', '/session/status', { token })).data.Connected, 30_000);
  assert.ok(Date.now() - restartedAt < LEASE_TTL_MS / 2, 'resumed well before the old lease would have expired');
  assert.equal(liveConnections(), 1);
  const sent = await call<{ Id: string }>(a2.url, 'POST', '/send/text', { token }, { Phone: ALICE, Body: 'after the crash' });
  assert.equal(sent.status, 200, sent.error);
  await emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === sent.data.Id, timeoutMs: 10_000 });
});

test('a session that is connecting answers 503 with Retry-After to calls that need the connection; one never connected 409', async () => {
  // A WhatsApp endpoint that accepts the WebSocket and never answers: the session stays connecting.
  const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => silent.once('listening', resolve));
  const { port } = silent.address() as { port: number };
  const database = await createTestDatabase();
  const wago = await startTestWago({ databaseUrl: database.url, env: { WAGO_WA_WS_URL: `ws://127.0.0.1:${port}/ws/chat`, WAGO_CONNECT_TIMEOUT_MS: '60000' } });
  try {
    const token = (await wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'connecting' } })).body.data!.token;
    const idle = await wago.call('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'not yet' } });
    assert.equal(idle.status, 409);
    await wago.call('POST', '/session/connect', { token, body: { Immediate: true } });
    assert.equal((await wago.call<Status>('GET', '/session/status', { token })).body.data!.State, 'connecting');
    const busy = await wago.call('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'still connecting' } });
    assert.equal(busy.status, 503, busy.body.error);
    assert.match(String(busy.body.error), /connecting/);
    assert.ok(Number(busy.headers.get('retry-after')) >= 1);
  } finally {
    await wago.stop();
    await database.drop();
    await new Promise((resolve) => silent.close(resolve));
  }
});
