// Benchmark: memory per idle connected session and time to restore sessions at start, WaGo
// next to raw Baileys logging in the same sessions (same credentials, same emulator), in one run.
import { join } from 'node:path';
import pg from 'pg';
import { spawnServer, rssMb, cpuMs } from './lib/processes';
import { commandCpuMs } from './lib/machine-cpu';
import { printTable } from './lib/table';
import { benchNodeLine } from './lib/node-binary';
import { createFixture, pairSessions, waitConnected, sleep } from './lib/wago-fixture';
import { PROJECT_ROOT } from '../server/app';

const SIZES = (process.env.BENCH_SESSIONS ?? '100,1000').split(',').map(Number);
const MAX = Math.max(...SIZES);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const CONCURRENCY = process.env.BENCH_RESTORE_CONCURRENCY ?? '4';
/** Restores of each size, one after the other (each next to its own raw Baileys login). */
const RUNS = Number(process.env.BENCH_RESTORE_RUNS ?? 1);

/** CPU (ms) used by the emulator and PostgreSQL so far: a login costs CPU there too. */
async function sharedCpu(emulatorPid: number): Promise<{ emulator: number; postgres: number }> {
  return { emulator: await cpuMs(emulatorPid), postgres: await commandCpuMs('postgres') };
}
const perSession = (ms: number, n: number) => (ms / n).toFixed(1);

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

async function restoreLogged(wago: { output(): string }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!wago.output().includes('"sessions restored"')) {
    if (Date.now() > deadline) throw new Error(`WaGo did not finish its restore within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

export async function runSessionsBench(): Promise<void> {
  process.stdout.write(benchNodeLine());
  const fixture = await createFixture(CONCURRENCY);
  const sql = new pg.Client({ connectionString: fixture.databaseUrl });
  try {
    let wago = await fixture.startWago();
    const pairStart = Date.now();
    await pairSessions(wago, fixture, MAX);
    process.stdout.write(`paired ${MAX} sessions in ${((Date.now() - pairStart) / 1000).toFixed(1)} s\n`);
    await wago.stop();
    await sql.connect();
    const ids = (await sql.query<{ id: string }>('SELECT id FROM sessions ORDER BY id')).rows.map((r) => r.id);

    await sql.query('UPDATE sessions SET auto_connect = false');
    wago = await fixture.startWago();
    await sleep(IDLE_MS);
    const wagoBase = await rssMb(wago.child.pid!);
    await wago.stop();

    const rows: Array<Array<string | number>> = [];
    let rawBase = 0;
    const emulatorPid = fixture.emulator.process.child.pid!;
    for (const n of SIZES.flatMap((size) => Array.from({ length: RUNS }, () => size))) {
      await sql.query('UPDATE sessions SET auto_connect = (id = ANY($1::uuid[]))', [ids.slice(0, n)]);
      const sharedBefore = await sharedCpu(emulatorPid);
      wago = await fixture.startWago({ LOG_LEVEL: 'info' });
      const wagoCpuAtStart = await cpuMs(wago.child.pid!);
      // Waits for WaGo's own line rather than asking it: polling its session list during the
      // restore would cost it CPU the raw Baileys login does not pay.
      await restoreLogged(wago, 600_000);
      await waitConnected(wago, n, 60_000);
      const wagoCpu = (await cpuMs(wago.child.pid!)) - wagoCpuAtStart;
      const sharedAfter = await sharedCpu(emulatorPid);
      const restoreMs = restoreTime(wago.output(), n);
      await sleep(IDLE_MS);
      const wagoRss = await rssMb(wago.child.pid!);
      await wago.stop();

      const rawSharedBefore = await sharedCpu(emulatorPid);
      const raw = await spawnServer(['--expose-gc', '--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'raw-baileys.ts')], {
        ...process.env,
        DATABASE_URL: fixture.databaseUrl,
        WAGO_ENCRYPTION_KEY: fixture.encryptionKey,
        WA_WS_URL: fixture.emulator.wsUrl,
        WA_ROOT_KEY: fixture.emulator.rootKey,
        CONCURRENCY,
        LIMIT: String(n),
        // It prints its result once every session logged in.
      }, { pattern: /(\{"sessions".*\})/, timeoutMs: 900_000 });
      const rawResult = JSON.parse(raw.url) as { sessions: number; loginMs: number; loginCpuMs: number; rssBeforeMb: number; rssAfterMb: number };
      const rawSharedAfter = await sharedCpu(emulatorPid);
      rawBase = rawResult.rssBeforeMb;
      await raw.stop();
      rows.push([
        n,
        (restoreMs / 1000).toFixed(2),
        (rawResult.loginMs / 1000).toFixed(2),
        (restoreMs / rawResult.loginMs).toFixed(2),
        ((wagoRss - wagoBase) / n).toFixed(2),
        ((rawResult.rssAfterMb - rawResult.rssBeforeMb) / n).toFixed(2),
        wagoRss.toFixed(0),
        rawResult.rssAfterMb.toFixed(0),
        `${perSession(wagoCpu, n)} / ${perSession(rawResult.loginCpuMs, n)}`,
        `${perSession(sharedAfter.emulator - sharedBefore.emulator, n)} / ${perSession(rawSharedAfter.emulator - rawSharedBefore.emulator, n)}`,
        `${perSession(sharedAfter.postgres - sharedBefore.postgres, n)} / ${perSession(rawSharedAfter.postgres - rawSharedBefore.postgres, n)}`,
      ]);
    }
    printTable(
      `Idle connected sessions and restore at start (restore concurrency ${CONCURRENCY}, ${IDLE_MS / 1000} s idle before RSS)`,
      ['sessions', 'WaGo restore s', 'raw Baileys login s', 'ratio (target ≤ 1.3)', 'WaGo MB/session (target ≤ 1)', 'raw MB/session', 'WaGo RSS MB', 'raw RSS MB', 'CPU ms/session WaGo / raw', 'emulator CPU ms/session (WaGo / raw run)', 'PostgreSQL CPU ms/session (WaGo / raw run)'],
      rows,
    );
    process.stdout.write(`RSS with no session: WaGo ${wagoBase.toFixed(0)} MB, raw Baileys (Baileys loaded) ${rawBase.toFixed(0)} MB\n`);
  } finally {
    await sql.end().catch((error: unknown) => console.error(error));
    await fixture.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSessionsBench();
