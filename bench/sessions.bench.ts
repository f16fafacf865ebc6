// Benchmark: memory per idle connected session and time to restore sessions at start, WaGo
// next to raw Baileys logging in the same sessions (same credentials, same emulator), in one run.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgres, createDatabase } from '../scripts/lib/postgres.mjs';
import { spawnServer, wagoArgs, rssMb, type ServerProcess } from './lib/processes';
import { printTable } from './lib/table';
import { PROJECT_ROOT } from '../server/app';

const SIZES = (process.env.BENCH_SESSIONS ?? '100,300').split(',').map(Number);
const MAX = Math.max(...SIZES);
const ADMIN = 'bench-admin-token-0123456789';
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const CONCURRENCY = process.env.BENCH_RESTORE_CONCURRENCY ?? '4';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = (await res.json()) as { data?: T };
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return (body.data ?? body) as T;
}

async function connectedCount(wago: ServerProcess): Promise<number> {
  const all = await json<Array<{ state: string }>>(`${wago.url}/session/all`, { headers: { admintoken: ADMIN } });
  return all.filter((s) => s.state === 'connected').length;
}

async function waitConnected(wago: ServerProcess, n: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while ((await connectedCount(wago)) < n) {
    if (Date.now() - started > timeoutMs) throw new Error(`only ${await connectedCount(wago)} of ${n} sessions connected`);
    await sleep(100);
  }
  return Date.now() - started;
}

async function pairSessions(wago: ServerProcess, control: string, n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const phone = `1555100${String(i).padStart(4, '0')}`;
      await json(`${control}/accounts`, { method: 'POST', body: JSON.stringify({ phone, name: `Bench ${i}` }) });
      const { token } = await json<{ token: string }>(`${wago.url}/session/init`, { method: 'POST', headers: { admintoken: ADMIN }, body: JSON.stringify({ Name: `bench-${i}` }) });
      await json(`${wago.url}/session/connect`, { method: 'POST', headers: { token }, body: '{}' });
      const qr = await json<{ Code: string }>(`${wago.url}/session/qr`, { headers: { token } });
      await json(`${control}/pairing/qr/scan`, { method: 'POST', body: JSON.stringify({ qr: qr.Code, phone }) });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/** WaGo logs how long the restore at start took ("sessions restored", atStart). */
function restoreTime(output: string, n: number): number {
  for (const line of output.split('\n')) {
    if (!line.includes('"sessions restored"') || !line.includes('"atStart":true')) continue;
    const entry = JSON.parse(line) as { ms: number; restored: number };
    if (entry.restored !== n) throw new Error(`restored ${entry.restored} of ${n} sessions at start:\n${output}`);
    return entry.ms;
  }
  throw new Error('WaGo did not log its restore');
}

export async function runSessionsBench(): Promise<void> {
  const pgServer = await findPostgres();
  const db = await createDatabase(pgServer.url, 'wago_bench');
  const emuProc = await spawnServer(['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'emulator-process.ts')], process.env, /(\{"url".*\})/);
  const emulator = JSON.parse(/(\{"url".*\})/.exec(emuProc.url)?.[1] ?? emuProc.url) as { url: string; wsUrl: string; rootKey: string };
  const encryptionKey = randomBytes(32).toString('hex');
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: ADMIN,
    WAGO_ENCRYPTION_KEY: encryptionKey,
    WAGO_WA_WS_URL: emulator.wsUrl,
    WAGO_WA_ROOT_KEY: emulator.rootKey,
    WAGO_DISABLE_NEXT: '1',
    WAGO_RESTORE_CONCURRENCY: CONCURRENCY,
    LOG_LEVEL: 'warn',
  };
  const sql = new pg.Client({ connectionString: db.url });
  try {
    let wago = await spawnServer(wagoArgs(), env);
    const pairStart = Date.now();
    await pairSessions(wago, `${emulator.url}/control`, MAX);
    await waitConnected(wago, MAX, 600_000);
    process.stdout.write(`paired ${MAX} sessions in ${((Date.now() - pairStart) / 1000).toFixed(1)} s\n`);
    await wago.stop();
    await sql.connect();
    const ids = (await sql.query<{ id: string }>('SELECT id FROM sessions ORDER BY id')).rows.map((r) => r.id);

    await sql.query('UPDATE sessions SET auto_connect = false');
    wago = await spawnServer(wagoArgs(), env);
    await sleep(IDLE_MS);
    const wagoBase = await rssMb(wago.child.pid!);
    await wago.stop();

    const rows: Array<Array<string | number>> = [];
    for (const n of SIZES) {
      await sql.query('UPDATE sessions SET auto_connect = (id = ANY($1::uuid[]))', [ids.slice(0, n)]);
      wago = await spawnServer(wagoArgs(), { ...env, LOG_LEVEL: 'info' });
      await waitConnected(wago, n, 600_000);
      const restoreMs = restoreTime(wago.output(), n);
      await sleep(IDLE_MS);
      const wagoRss = await rssMb(wago.child.pid!);
      await wago.stop();

      const raw = await spawnServer(['--expose-gc', '--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'raw-baileys.ts')], {
        ...process.env,
        DATABASE_URL: db.url,
        WAGO_ENCRYPTION_KEY: encryptionKey,
        WA_WS_URL: emulator.wsUrl,
        WA_ROOT_KEY: emulator.rootKey,
        CONCURRENCY,
        LIMIT: String(n),
      }, /(\{"sessions".*\})/);
      const rawResult = JSON.parse(raw.url) as { sessions: number; loginMs: number; rssBeforeMb: number; rssAfterMb: number };
      await raw.stop();
      rows.push([
        n,
        (restoreMs / 1000).toFixed(2),
        (rawResult.loginMs / 1000).toFixed(2),
        (restoreMs / rawResult.loginMs).toFixed(2),
        ((wagoRss - wagoBase) / n).toFixed(2),
        ((rawResult.rssAfterMb - rawResult.rssBeforeMb) / n).toFixed(2),
        wagoRss.toFixed(0),
      ]);
    }
    printTable(
      `Idle connected sessions and restore at start (restore concurrency ${CONCURRENCY}, ${IDLE_MS / 1000} s idle before RSS)`,
      ['sessions', 'WaGo restore s', 'raw Baileys login s', 'ratio (target ≤ 1.5)', 'WaGo MB/session (target ≤ 2)', 'raw MB/session', 'WaGo RSS MB'],
      rows,
    );
    process.stdout.write(`WaGo RSS with no session: ${wagoBase.toFixed(0)} MB\n`);
  } finally {
    await sql.end().catch(() => undefined);
    await emuProc.stop();
    await db.drop();
    await pgServer.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSessionsBench();
