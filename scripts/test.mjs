// `npm test`: the whole suite. Finds (or starts) PostgreSQL, builds the dashboard when stale,
// type-checks, then runs every test file with node's test runner. Each test file creates its
// own fresh database on that server and drops it afterwards.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';
import { findPostgres } from './lib/postgres.mjs';
import { ensureNextBuild } from './lib/next-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function run(label, cmd, args, env) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

const pgServer = await findPostgres({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`Tests use ${pgServer.source} (a fresh database per test file)\n`);
let status = 0;
try {
  const env = { ...process.env, WAGO_TEST_PG_URL: pgServer.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  if (!only.length) {
    status = run('typecheck', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root], env);
    if (status !== 0) throw new Error('typecheck failed');
  }
  ensureNextBuild(root);
  const selected = only.length ? only : files(join(root, 'tests'));
  status = run(`${selected.length} test files`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', '--test-force-exit', ...selected], env);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  status ||= 1;
} finally {
  await pgServer.stop();
}
process.exit(status);
