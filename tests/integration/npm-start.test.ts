import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago } from '../helpers/spawn-wago';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

// A supervisor (systemd, Docker, a shell's kill) often signals only the process it started:
// here npm. The signal must reach WaGo, which then shuts down gracefully.
test('SIGTERM to the npm process of `npm start` stops WaGo gracefully', async () => {
  db = await createTestDatabase();
  const npm = await spawnWago({ DATABASE_URL: db.url, LOG_LEVEL: 'info' }, { via: 'npm' });
  const { url } = npm;
  assert.equal((await fetch(`${url}/server/ok`)).status, 200);
  // One long-lived process under npm: the built server runs in `node scripts/start.mjs` itself
  // (no wrapper, no TypeScript loader process).
  const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const [server, ...others] = children(npm.child.pid!);
  assert.deepEqual(others, [], 'npm runs one process');
  assert.match(readFileSync(`/proc/${server}/cmdline`, 'utf8').replace(/\0/g, ' '), /^\S*node \S*scripts\/start\.mjs/);
  assert.deepEqual(children(server), [], 'the server starts no process of its own');
  // On Node 22.15 and later it started itself again (same pid) with the C allocator's settings.
  const environ = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
  if (typeof (process as { execve?: unknown }).execve === 'function') {
    assert.ok(environ.includes('MALLOC_ARENA_MAX=2'), 'MALLOC_ARENA_MAX set');
    assert.ok(environ.includes('MALLOC_MMAP_THRESHOLD_=65536'), 'MALLOC_MMAP_THRESHOLD_ set');
  }
  assert.equal(await npm.kill('SIGTERM'), 0, `npm exits cleanly:\n${npm.output().slice(-2000)}`);
  assert.match(npm.output(), /shutting down/);
  await assert.rejects(fetch(`${url}/server/ok`), 'nothing answers after the stop');
});

// The built server registers the same module hooks as the sources: Baileys' receiver is loaded with
// the receipt hook, so an incoming message is acknowledged to WhatsApp only once it is stored.
test('the built server loads Baileys with the receipt hook', async () => {
  const { ensureServerBuild, serverBuildPaths } = (await import('../../scripts/lib/server-build.mjs')) as {
    ensureServerBuild: (root: string, opts?: { quiet?: boolean }) => Promise<boolean>;
    serverBuildPaths: (root: string) => { register: string };
  };
  const root = process.cwd();
  await ensureServerBuild(root, { quiet: true });
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, ['--import', serverBuildPaths(root).register, '--input-type=module', '-e', "await import('baileys'); console.log(globalThis[Symbol.for('wago.deferReceipt')] === true)"], { cwd: root, encoding: 'utf8' });
  assert.equal(out.trim(), 'true');
});
