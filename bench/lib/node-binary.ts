import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

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

/** A line naming the Node the measured processes run on, for the bench's output. */
export function benchNodeLine(): string {
  const node = benchNode();
  const version = node === process.execPath ? process.version : execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  return `WaGo and raw Baileys run on Node ${version}${node === process.execPath ? '' : ` (${node})`}; the emulator and the load generator on Node ${process.version}\n`;
}
