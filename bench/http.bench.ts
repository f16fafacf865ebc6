// Benchmark: a trivial REST route (GET /server/ok) through WaGo's custom-server dispatch,
// next to a bare node:http server answering the same, measured in one run. Each server runs
// in its own process; the load comes from this process (autocannon, keep-alive).
import { findPostgres, createDatabase } from '../scripts/lib/postgres.mjs';
import { spawnServer, rssMb, type ServerProcess } from './lib/processes';
import { printTable, median } from './lib/table';
import { loadRoute, type LoadSample as Sample } from './lib/http-load';
import { spawnWago } from './lib/wago-fixture';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/app';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

const load = (server: ServerProcess, seconds: number) => loadRoute(server, '/server/ok', { seconds, connections: CONNECTIONS });

export async function runHttpBench(): Promise<void> {
  const pgServer = await findPostgres();
  const db = await createDatabase(pgServer.url, 'wago_bench');
  const wago = await spawnWago(db.url);
  const bare = await spawnServer([join(PROJECT_ROOT, 'bench', 'lib', 'bare-server.mjs')], process.env);
  try {
    const samples: Record<'wago' | 'bare', Sample[]> = { wago: [], bare: [] };
    await load(wago, 2); // warm-up
    await load(bare, 2);
    for (let round = 0; round < ROUNDS; round++) {
      samples.wago.push(await load(wago, DURATION));
      samples.bare.push(await load(bare, DURATION));
    }
    const row = (name: string, s: Sample[], rss: number) => [
      name,
      Math.round(median(s.map((x) => x.rps))),
      median(s.map((x) => x.p50)).toFixed(1),
      median(s.map((x) => x.p99)).toFixed(1),
      (median(s.map((x) => x.cpuPerReq)) * 1000).toFixed(0),
      rss.toFixed(0),
    ];
    const wagoRps = median(samples.wago.map((x) => x.rps));
    const bareRps = median(samples.bare.map((x) => x.rps));
    printTable(
      `GET /server/ok, ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION} s alternating, median`,
      ['server', 'requests/s', 'p50 ms', 'p99 ms', 'CPU µs/request', 'RSS MB'],
      [row('WaGo (custom server dispatch)', samples.wago, await rssMb(wago.child.pid!)), row('bare node:http', samples.bare, await rssMb(bare.child.pid!))],
    );
    const ratio = wagoRps / bareRps;
    process.stdout.write(`WaGo / bare = ${(ratio * 100).toFixed(0)}% (target ≥ 50%) ${ratio >= 0.5 ? 'PASS' : 'BELOW TARGET'}\n`);
  } finally {
    await wago.stop();
    await bare.stop();
    await db.drop();
    await pgServer.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runHttpBench();
