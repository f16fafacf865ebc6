// Benchmark: RSS of an idle WaGo with no session, API only (WAGO_DISABLE_NEXT=1) and with the
// dashboard, next to a bare Baileys process, all measured in the same run. WaGo runs as
// `npm start` runs it (the built server, one process); BENCH_IDLE_SOURCE=1 adds the server run
// through the TypeScript loader, as it ran before it was built ahead of time.
import { join } from 'node:path';
import { spawnServer, rssMb, wagoArgs } from './lib/processes';
import { printTable } from './lib/table';
import { benchNodeLine } from './lib/node-binary';
import { createFixture, sleep } from './lib/wago-fixture';
import { ensureNextBuild } from '../scripts/lib/next-build.mjs';
import { WAGO_NODE_IMPORTS } from '../server/whatsapp/async-context/node-args';
import { PROJECT_ROOT } from '../server/app';

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 15_000);

async function idleRss(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const proc = await spawnServer(args, env);
  try {
    await sleep(IDLE_MS);
    return await rssMb(proc.child.pid!);
  } finally {
    await proc.stop();
  }
}

export async function runIdleBench(): Promise<void> {
  process.stdout.write(benchNodeLine());
  if (ensureNextBuild(PROJECT_ROOT)) process.stdout.write('(built the dashboard first)\n');
  const fixture = await createFixture();
  try {
    const bare = await idleRss([join(PROJECT_ROOT, 'bench', 'lib', 'bare-baileys.mjs')], process.env);
    const env: NodeJS.ProcessEnv = { ...fixture.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
    const api = await idleRss(wagoArgs(), env);
    const dashboard = await idleRss(wagoArgs(), { ...env, WAGO_DISABLE_NEXT: '0' });
    const rows: Array<Array<string | number>> = [
      ['bare Baileys (Baileys loaded, no session)', bare.toFixed(0), '—', '—'],
      ['WaGo, API only (WAGO_DISABLE_NEXT=1)', api.toFixed(0), (api - bare).toFixed(0), '≤ 150'],
      ['WaGo with the dashboard', dashboard.toFixed(0), (dashboard - bare).toFixed(0), '≤ 250'],
    ];
    if (process.env.BENCH_IDLE_SOURCE === '1') {
      const source = [...WAGO_NODE_IMPORTS, join(PROJECT_ROOT, 'server', 'main.ts')];
      const apiSource = await idleRss(source, env);
      const dashboardSource = await idleRss(source, { ...env, WAGO_DISABLE_NEXT: '0' });
      rows.push(['WaGo from source (tsx), API only', apiSource.toFixed(0), (apiSource - bare).toFixed(0), '—']);
      rows.push(['WaGo from source (tsx), with the dashboard', dashboardSource.toFixed(0), (dashboardSource - bare).toFixed(0), '—']);
    }
    printTable(`Idle RSS with no session, after ${IDLE_MS / 1000} s`, ['process', 'RSS MB', 'above bare Baileys MB', 'target MB'], rows);
  } finally {
    await fixture.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIdleBench();
