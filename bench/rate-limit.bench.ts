// Benchmark: what the per-token rate limit costs per request. One authenticated route
// (GET /session/status with a session token) under load, with the limit off and with its
// buckets in memory, PostgreSQL and Redis (limits set high enough never to refuse). Each
// configuration runs in its own WaGo process on its own database; rounds alternate.
import { findPostgres, createDatabase } from '../scripts/lib/postgres.mjs';
import type { ServerProcess } from './lib/processes';
import { printTable, median } from './lib/table';
import { loadRoute, type LoadSample as Sample } from './lib/http-load';
import { ADMIN, spawnWago } from './lib/wago-fixture';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const REDIS = process.env.WAGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const load = (server: ServerProcess, token: string, seconds: number) => loadRoute(server, '/session/status', { seconds, connections: CONNECTIONS, headers: { token } });

const CONFIGS: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'no limit', env: { WAGO_RATE_LIMIT_SESSION: '0' } },
  { name: 'memory', env: { WAGO_RATE_LIMIT_STORE: 'memory' } },
  { name: 'PostgreSQL', env: { WAGO_RATE_LIMIT_STORE: 'postgres' } },
  ...(REDIS === 'none' ? [] : [{ name: 'Redis', env: { WAGO_RATE_LIMIT_STORE: 'redis', REDIS_URL: REDIS } }]),
];

export async function runRateLimitBench(): Promise<void> {
  const pgServer = await findPostgres();
  const running: Array<{ name: string; server: ServerProcess; token: string; drop: () => Promise<void> }> = [];
  try {
    for (const config of CONFIGS) {
      const db = await createDatabase(pgServer.url, 'wago_bench_rl');
      const server = await spawnWago(db.url, { WAGO_RATE_LIMIT_SESSION: '1000000/1000000', ...config.env });
      const init = await fetch(`${server.url}/session/init`, { method: 'POST', headers: { admintoken: ADMIN }, body: '{}' });
      const token = ((await init.json()) as { data: { token: string } }).data.token;
      running.push({ name: config.name, server, token, drop: () => db.drop() });
    }
    for (const r of running) await load(r.server, r.token, 2); // warm-up
    const samples = new Map<string, Sample[]>(running.map((r) => [r.name, []]));
    for (let round = 0; round < ROUNDS; round++) for (const r of running) samples.get(r.name)!.push(await load(r.server, r.token, DURATION));
    const base = median(samples.get('no limit')!.map((x) => x.cpuPerReq));
    printTable(
      `GET /session/status with a session token, ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION} s alternating, median`,
      ['rate-limit store', 'requests/s', 'p50 ms', 'p99 ms', 'CPU µs/request', 'CPU µs over no limit'],
      running.map((r) => {
        const s = samples.get(r.name)!;
        const cpu = median(s.map((x) => x.cpuPerReq));
        return [r.name, Math.round(median(s.map((x) => x.rps))), median(s.map((x) => x.p50)).toFixed(1), median(s.map((x) => x.p99)).toFixed(1), (cpu * 1000).toFixed(0), r.name === 'no limit' ? '—' : ((cpu - base) * 1000).toFixed(0)];
      }),
    );
  } finally {
    for (const r of running) {
      await r.server.stop();
      await r.drop();
    }
    await pgServer.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runRateLimitBench();
