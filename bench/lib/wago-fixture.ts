// A WaGo process pointed at an emulator process, on a fresh database: what the session and
// send benchmarks build on.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { findPostgres, createDatabase } from '../../scripts/lib/postgres.mjs';
import { spawnServer, wagoArgs, type ServerProcess } from './processes';
import { PROJECT_ROOT } from '../../server/app';

export const ADMIN = 'bench-admin-token-0123456789';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = (await res.json()) as { data?: T };
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return (body.data ?? body) as T;
}

/** WaGo in its own process on `databaseUrl` as the HTTP benchmarks run it: any free port, the REST API alone (no dashboard), warnings logged; `extra` adds settings. */
export function spawnWago(databaseUrl: string, extra: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer(wagoArgs(), {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    WAGO_ADMIN_TOKEN: ADMIN,
    WAGO_DISABLE_NEXT: '1',
    LOG_LEVEL: 'warn',
    ...extra,
  });
}

export interface Fixture {
  emulator: { url: string; wsUrl: string; rootKey: string; process: ServerProcess };
  databaseUrl: string;
  encryptionKey: string;
  /** Environment for a WaGo process on this fixture. */
  env: NodeJS.ProcessEnv;
  startWago(extra?: Record<string, string>): Promise<ServerProcess>;
  close(): Promise<void>;
}

export async function createFixture(restoreConcurrency = '4'): Promise<Fixture> {
  const pgServer = await findPostgres();
  const db = await createDatabase(pgServer.url, 'wago_bench');
  // BENCH_PROFILE: the emulator's share of the measured window is profiled too.
  const profile = process.env.BENCH_PROFILE ? ['--import', join(PROJECT_ROOT, 'bench', 'lib', 'profile-window.ts')] : [];
  const proc = await spawnServer(['--import', 'tsx', ...profile, join(PROJECT_ROOT, 'bench', 'lib', 'emulator-process.ts')], { ...process.env, BENCH_PROFILE_NAME: 'emulator' }, { pattern: /(\{"url".*\})/, node: process.execPath });
  const info = JSON.parse(proc.url) as { url: string; wsUrl: string; rootKey: string };
  const encryptionKey = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: ADMIN,
    WAGO_ENCRYPTION_KEY: encryptionKey,
    WAGO_WA_WS_URL: info.wsUrl,
    WAGO_WA_ROOT_KEY: info.rootKey,
    WAGO_DISABLE_NEXT: '1',
    WAGO_RESTORE_CONCURRENCY: restoreConcurrency,
    LOG_LEVEL: 'warn',
    // A send burst (hundreds a second on one token) is what is measured, not the default limit.
    WAGO_RATE_LIMIT_SESSION: '0',
    WAGO_RATE_LIMIT_ADMIN: '0',
    WAGO_RATE_LIMIT_DASHBOARD: '0',
    BENCH_PROFILE_NAME: 'wago',
  };
  const started: ServerProcess[] = [];
  return {
    emulator: { ...info, process: proc },
    databaseUrl: db.url,
    encryptionKey,
    env,
    startWago: async (extra = {}) => {
      const wago = await spawnServer(wagoArgs(), { ...env, ...extra });
      started.push(wago);
      return wago;
    },
    close: async () => {
      // A bench that failed half-way leaves its WaGo running: it would go on burning a core.
      await Promise.all(started.map((wago) => wago.stop()));
      await proc.stop();
      await db.drop();
      await pgServer.stop();
    },
  };
}

export async function connectedCount(wago: ServerProcess): Promise<number> {
  const all = await json<Array<{ state: string }>>(`${wago.url}/session/all`, { headers: { admintoken: ADMIN } });
  return all.filter((s) => s.state === 'connected').length;
}

export async function waitConnected(wago: ServerProcess, n: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while ((await connectedCount(wago)) < n) {
    if (Date.now() - started > timeoutMs) throw new Error(`only ${await connectedCount(wago)} of ${n} sessions connected`);
    await sleep(100);
  }
}

/**
 * Starts linking a session and returns its first QR code. On a loaded machine the connection can
 * close before the QR comes (the connect timeout): linking is started again, as a user would.
 */
async function firstQr(wago: ServerProcess, token: string): Promise<{ Code: string }> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    await json(`${wago.url}/session/connect`, { method: 'POST', headers: { token }, body: '{}' });
    const retryAt = Date.now() + 15_000;
    while (Date.now() < retryAt) {
      const res = await fetch(`${wago.url}/session/qr`, { headers: { token } });
      const body = (await res.json()) as { data?: { Code?: string }; error?: string };
      if (res.ok && body.data?.Code) return { Code: body.data.Code };
      if (Date.now() > deadline) throw new Error(`no QR code within 180 s: ${res.status} ${body.error ?? ''}`);
      if (res.status === 409 && body.error?.includes('disconnected')) break;
      await sleep(200);
    }
    await sleep(500);
  }
}

/** Links `n` new sessions, each to its own simulated phone; returns their tokens and phones. */
export async function pairSessions(wago: ServerProcess, fixture: Fixture, n: number): Promise<Array<{ token: string; phone: string }>> {
  const control = `${fixture.emulator.url}/control`;
  const out: Array<{ token: string; phone: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const phone = `1555100${String(i).padStart(4, '0')}`;
      await json(`${control}/accounts`, { method: 'POST', body: JSON.stringify({ phone, name: `Bench ${i}` }) });
      const { token } = await json<{ token: string }>(`${wago.url}/session/init`, { method: 'POST', headers: { admintoken: ADMIN }, body: JSON.stringify({ Name: `bench-${i}` }) });
      const qr = await firstQr(wago, token);
      await json(`${control}/pairing/qr/scan`, { method: 'POST', body: JSON.stringify({ qr: qr.Code, phone }) });
      out[i] = { token, phone };
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  await waitConnected(wago, n, 600_000);
  return out;
}
