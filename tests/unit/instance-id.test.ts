import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { releaseInstanceId, resolveInstanceId } from '../../server/runtime/instance-id';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wago-instance-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The id of a process that has exited: it cannot be alive any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test('a fresh data folder gets a new id, kept in instance.json; a restart (the writer gone) resumes it', async () => {
  await withDir(async (dir) => {
    const first = await resolveInstanceId(undefined, dir);
    assert.equal(first.source, 'new');
    const record = JSON.parse(await readFile(join(dir, 'instance.json'), 'utf8')) as { id: string; pid: number; host: string };
    assert.deepEqual(record, { id: first.id, pid: process.pid, host: hostname() });
    releaseInstanceId(first.id);
    // As after a crash: the record names a process that is gone.
    await writeFile(join(dir, 'instance.json'), JSON.stringify({ ...record, pid: deadPid() }));
    const again = await resolveInstanceId(undefined, dir);
    assert.deepEqual(again, { id: first.id, source: 'resumed' });
    releaseInstanceId(again.id);
  });
});

test('two WaGos never share an id: in one process, with a live writer, or on another host', async () => {
  await withDir(async (dir) => {
    const first = await resolveInstanceId(undefined, dir);
    const second = await resolveInstanceId(undefined, dir); // same process, first still running
    assert.notEqual(second.id, first.id);
    releaseInstanceId(first.id);
    releaseInstanceId(second.id);
    const record = { id: first.id, pid: process.ppid, host: hostname() }; // a live process (our parent)
    await writeFile(join(dir, 'instance.json'), JSON.stringify(record));
    const beside = await resolveInstanceId(undefined, dir);
    assert.notEqual(beside.id, first.id);
    assert.equal(JSON.parse(await readFile(join(dir, 'instance.json'), 'utf8')).pid, process.ppid, "the live writer's record is left alone");
    releaseInstanceId(beside.id);
    await writeFile(join(dir, 'instance.json'), JSON.stringify({ id: first.id, pid: deadPid(), host: 'another-host' }));
    const elsewhere = await resolveInstanceId(undefined, dir);
    assert.notEqual(elsewhere.id, first.id);
    releaseInstanceId(elsewhere.id);
  });
});

test('WAGO_INSTANCE_ID wins, and is refused twice in one process', async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await resolveInstanceId('wago-1', dir), { id: 'wago-1', source: 'env' });
    await assert.rejects(resolveInstanceId('wago-1', dir), /already used/);
    releaseInstanceId('wago-1');
  });
});
