import { existsSync } from 'node:fs';

/**
 * The Node binary the measured processes run on (WaGo and the raw Baileys baseline alike):
 * `--node <path>` on the command line or BENCH_NODE, else the Node running the bench.
 */
export function benchNode(): string {
  const flag = process.argv.indexOf('--node');
  const chosen = flag >= 0 ? process.argv[flag + 1] : process.env.BENCH_NODE;
  if (!chosen) return process.execPath;
  if (!existsSync(chosen)) throw new Error(`no Node binary at ${chosen} (--node / BENCH_NODE)`);
  return chosen;
}
