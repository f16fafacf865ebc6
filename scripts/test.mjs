// `npm test`: the whole suite. Finds (or starts) PostgreSQL, builds the dashboard when stale,
// type-checks, then runs every test file with node's test runner. Each test file creates its
// own fresh database on that server and drops it afterwards.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { findPostgres } from './lib/postgres.mjs';
import { ensureNextBuild } from './lib/next-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// --no-typecheck: skip the typecheck (CI's second pass on another Node: its result is the same).
const skipTypecheck = process.argv.includes('--no-typecheck');
const only = process.argv.slice(2).filter((arg) => arg !== '--no-typecheck');

/** The fault suite (tests/faults) is slow and runs on its own: `npm run test:faults`. */
const SEPARATE = new Set([join(root, 'tests', 'faults')]);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (SEPARATE.has(path)) continue;
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

/** Whether something answers on the Redis URL's host and port. */
function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = (await redisAnswers(redisUrl)) ? redisUrl : 'none';
if (redis === 'none') process.stdout.write(`No Redis at ${redisUrl}: the socket.io-across-processes check is skipped (CI installs Redis)\n`);

const pgServer = await findPostgres({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`Tests use ${pgServer.source} (a fresh database per test file)\n`);
let status = 0;
try {
  const env = { ...process.env, WAGO_TEST_PG_URL: pgServer.url, WAGO_TEST_REDIS_URL: redis, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  if (!only.length && !skipTypecheck) {
    status = run('typecheck', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root], env);
    if (status !== 0) throw new Error('typecheck failed');
  }
  ensureNextBuild(root);
  const selected = only.length ? only : files(join(root, 'tests'));
  // WaGo runs inside the test processes: Baileys gets WaGo's AsyncLocalStorage there too.
  const register = join(root, 'server', 'whatsapp', 'async-context', 'register.mjs');
  status = run(`${selected.length} test files on Node ${process.versions.node}`, process.execPath, ['--import', 'tsx', '--import', register, '--test', '--test-concurrency=2', '--test-timeout=300000', '--test-force-exit', ...selected], env);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  status ||= 1;
} finally {
  await pgServer.stop();
}
process.exit(status);
