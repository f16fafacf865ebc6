import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { PROJECT_ROOT } from '../../server/app';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

// A supervisor (systemd, Docker, a shell's kill) often signals only the process it started:
// here npm. The signal must reach WaGo, which then shuts down gracefully.
test('SIGTERM to the npm process of `npm start` stops WaGo gracefully', async () => {
  db = await createTestDatabase();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', WAGO_DISABLE_NEXT: '1', LOG_LEVEL: 'info' },
  });
  let output = '';
  npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const m = /is running at (http:\/\/[\d.:]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    npm.stdout.on('data', check);
    npm.stderr.on('data', check);
  });
  assert.equal((await fetch(`${url}/server/ok`)).status, 200);
  npm.kill('SIGTERM');
  assert.equal(await exited, 0, `npm exits cleanly:\n${output.slice(-2000)}`);
  assert.match(output, /shutting down/);
  await assert.rejects(fetch(`${url}/server/ok`), 'nothing answers after the stop');
});
