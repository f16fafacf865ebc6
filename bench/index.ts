// `npm run bench`: every benchmark, one after the other, each in its own process, each
// printing its table. BENCH_ONLY=http,send picks some.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/app';

const ALL = ['http', 'rate-limit', 'emulator', 'idle', 'sessions', 'send', 'webhooks', 'incoming', 'dashboard'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()) ?? ALL;
let failed = 0;
for (const name of ALL.filter((n) => only.includes(n))) {
  process.stdout.write(`\n## ${name}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', `${name}.bench.ts`)], { stdio: 'inherit', cwd: PROJECT_ROOT });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`benchmark ${name} failed (exit ${result.status})\n`);
  }
}
process.exit(failed ? 1 : 0);
