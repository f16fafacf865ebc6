// `npm run bench:async-storages [-- --node <binary>]`: what every enabled AsyncLocalStorage costs
// each promise on this Node line. For N enabled storages (each given a store, as Baileys' key
// transactions do), times a chain of awaited promises and prints promises per second.
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { benchNode } from './lib/node-binary';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const COUNTS = [0, 1, 10, 50, 200];
const PROMISES = 1_000_000;

async function promisesPerSecond(storages: number): Promise<number> {
  const all = Array.from({ length: storages }, () => new AsyncLocalStorage<object>());
  for (const storage of all) storage.enterWith({});
  const chain = async () => {
    for (let i = 0; i < PROMISES; i++) await Promise.resolve(i);
  };
  await chain(); // warm-up
  const start = process.hrtime.bigint();
  await chain();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Math.round(PROMISES / seconds);
}

const childAt = process.argv.indexOf('--storages');
if (childAt >= 0) {
  const child = process.argv[childAt + 1];
  // One count per process: storages stay enabled for the life of the process.
  process.stdout.write(`${await promisesPerSecond(Number(child))}\n`);
} else {
  const node = benchNode();
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const rows: string[] = [];
  let base = 0;
  for (const n of COUNTS) {
    const runs: number[] = [];
    for (let round = 0; round < 3; round++) {
      const out = spawnSync(node, ['--import', 'tsx', 'bench/async-storages.bench.ts', '--storages', String(n)], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      runs.push(Number(out.stdout.trim()));
    }
    const best = Math.max(...runs);
    if (n === 0) base = best;
    rows.push(`| ${n} | ${(best / 1e6).toFixed(2)} M | ${Math.round((best / base) * 100)}% |`);
  }
  process.stdout.write(`Node ${version}: awaited promises per second with N enabled AsyncLocalStorages (best of 3)\n\n| N | promises/s | of N=0 |\n|---|---|---|\n${rows.join('\n')}\n`);
}
