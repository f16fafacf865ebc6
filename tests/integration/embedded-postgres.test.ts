import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';

const base = mkdtempSync(join(tmpdir(), 'wago-embedded-'));
chmodSync(base, 0o755); // the postgres system user must reach the data folder when tests run as root
const dataDir = join(base, 'data');
after(() => rmSync(base, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  output: string;
}

/** Runs `server/main.ts` as `npm start` does, without DATABASE_URL, and waits for its banner. */
async function startWago(): Promise<Running> {
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', WAGO_DATA_DIR: dataDir, WAGO_DISABLE_NEXT: '1', LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts')], { cwd: PROJECT_ROOT, env });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Admin token[^\n]*\n/.test(output) ? /is running at (http:\/\/[\d.:]+)/.exec(output) : null;
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`WaGo exited with ${code}:\n${output}`));
    });
  });
  child.stdout!.on('data', (c: Buffer) => (running.output += c.toString()));
  const running: Running = { child, url, output };
  return running;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function postmasterPid(): string {
  return join(dataDir, 'postgres', 'postmaster.pid');
}

test('npm start without DATABASE_URL runs on embedded PostgreSQL, keeps data across restarts and crashes', async () => {
  const first = await startWago();
  const token = /Admin token \(shown only this once, stored hashed\): (\S+)/.exec(first.output)?.[1];
  assert.ok(token, `a generated admin token is printed once:\n${first.output}`);
  const created = await fetch(`${first.url}/session/init`, { method: 'POST', headers: { admintoken: token }, body: JSON.stringify({ Name: 'kept' }) });
  assert.equal(created.status, 200);
  assert.ok(existsSync(postmasterPid()), 'PostgreSQL runs with its data in WAGO_DATA_DIR');

  // SIGTERM: graceful stop, embedded PostgreSQL stopped too.
  first.child.kill('SIGTERM');
  assert.equal(await exitOf(first.child), 0);
  assert.equal(existsSync(postmasterPid()), false, 'embedded PostgreSQL was stopped cleanly');

  // Restart: same data, the admin token is not printed again and still works.
  const second = await startWago();
  assert.doesNotMatch(second.output, /shown only this once/);
  const list = (await (await fetch(`${second.url}/session/all`, { headers: { admintoken: token } })).json()) as { data: Array<{ name: string }> };
  assert.deepEqual(list.data.map((s) => s.name), ['kept']);

  // SIGKILL leaves PostgreSQL orphaned; the next start takes the data folder back.
  second.child.kill('SIGKILL');
  await exitOf(second.child);
  const third = await startWago();
  const again = (await (await fetch(`${third.url}/session/all`, { headers: { admintoken: token } })).json()) as { data: Array<{ name: string }> };
  assert.deepEqual(again.data.map((s) => s.name), ['kept']);
  third.child.kill('SIGTERM');
  assert.equal(await exitOf(third.child), 0);
  assert.equal(existsSync(postmasterPid()), false);
});
