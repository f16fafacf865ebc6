import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnWago } from '../helpers/spawn-wago';

const base = mkdtempSync(join(tmpdir(), 'wago-embedded-'));
chmodSync(base, 0o755); // the postgres system user must reach the data folder when tests run as root
const dataDir = join(base, 'data');
after(() => rmSync(base, { recursive: true, force: true }));

const startWago = () => spawnWago({ WAGO_DATA_DIR: dataDir });

function postmasterPid(): string {
  return join(dataDir, 'postgres', 'postmaster.pid');
}

test('npm start without DATABASE_URL runs on embedded PostgreSQL, keeps data across restarts and crashes', async () => {
  const first = await startWago();
  const token = /Admin token \(shown only this once, stored hashed\): (\S+)/.exec(first.output())?.[1];
  assert.ok(token, `a generated admin token is printed once:\n${first.output()}`);
  const created = await fetch(`${first.url}/session/init`, { method: 'POST', headers: { admintoken: token }, body: JSON.stringify({ Name: 'kept' }) });
  assert.equal(created.status, 200);
  assert.ok(existsSync(postmasterPid()), 'PostgreSQL runs with its data in WAGO_DATA_DIR');

  // SIGTERM: graceful stop, embedded PostgreSQL stopped too.
  assert.equal(await first.kill('SIGTERM'), 0);
  assert.equal(existsSync(postmasterPid()), false, 'embedded PostgreSQL was stopped cleanly');

  // Restart: same data, the admin token is not printed again and still works.
  const second = await startWago();
  assert.doesNotMatch(second.output(), /shown only this once/);
  const list = (await (await fetch(`${second.url}/session/all`, { headers: { admintoken: token } })).json()) as { data: Array<{ name: string }> };
  assert.deepEqual(list.data.map((s) => s.name), ['kept']);

  // SIGKILL leaves PostgreSQL orphaned; the next start takes the data folder back.
  await second.kill('SIGKILL');
  const third = await startWago();
  const again = (await (await fetch(`${third.url}/session/all`, { headers: { admintoken: token } })).json()) as { data: Array<{ name: string }> };
  assert.deepEqual(again.data.map((s) => s.name), ['kept']);
  assert.equal(await third.kill('SIGTERM'), 0);
  assert.equal(existsSync(postmasterPid()), false);
});
