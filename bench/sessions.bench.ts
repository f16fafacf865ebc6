// Benchmark: memory per idle connected session and time to restore sessions at start, WaGo
// next to raw Baileys logging in the same sessions (same credentials, same emulator), in one run.
import { join } from 'node:path';
import pg from 'pg';
import { spawnServer, rssMb } from './lib/processes';
import { printTable } from './lib/table';
import { benchNodeLine } from './lib/node-binary';
import { createFixture, pairSessions, waitConnected, sleep } from './lib/wago-fixture';
import { PROJECT_ROOT } from '../server/app';

const SIZES = (process.env.BENCH_SESSIONS ?? '100,300').split(',').map(Number);
const MAX = Math.max(...SIZES);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const CONCURRENCY = process.env.BENCH_RESTORE_CONCURRENCY ?? '4';

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
    for (const n of SIZES) {
      await sql.query('UPDATE sessions SET auto_connect = (id = ANY($1::uuid[]))', [ids.slice(0, n)]);
      wago = await fixture.startWago({ LOG_LEVEL: 'info' });
      await waitConnected(wago, n, 600_000);
      const restoreMs = restoreTime(wago.output(), n);
      await sleep(IDLE_MS);
      const wagoRss = await rssMb(wago.child.pid!);
      await wago.stop();

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
      const rawResult = JSON.parse(raw.url) as { sessions: number; loginMs: number; rssBeforeMb: number; rssAfterMb: number };
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
      ]);
    }
    printTable(
      `Idle connected sessions and restore at start (restore concurrency ${CONCURRENCY}, ${IDLE_MS / 1000} s idle before RSS)`,
      ['sessions', 'WaGo restore s', 'raw Baileys login s', 'ratio (target ≤ 1.3)', 'WaGo MB/session (target ≤ 1)', 'raw MB/session', 'WaGo RSS MB', 'raw RSS MB'],
      rows,
    );
    process.stdout.write(`RSS with no session: WaGo ${wagoBase.toFixed(0)} MB, raw Baileys (Baileys loaded) ${rawBase.toFixed(0)} MB\n`);
  } finally {
    await sql.end().catch((error: unknown) => console.error(error));
    await fixture.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSessionsBench();
