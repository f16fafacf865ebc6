import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** What the data folder remembers about the process that last ran from it. */
interface InstanceRecord {
  id: string;
  pid: number;
  host: string;
}

/** Ids taken by WaGo instances of this very process (tests start several in one). */
const claimedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readRecord(file: string): Promise<InstanceRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<InstanceRecord>;
    if (typeof parsed.id === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string') return parsed as InstanceRecord;
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return null;
    throw error;
  }
}

export interface InstanceIdentity {
  id: string;
  /** env: WAGO_INSTANCE_ID; resumed: the data folder's id (a restart); new: a fresh id. */
  source: 'env' | 'resumed' | 'new';
}

/**
 * This process's id in the session lease table. A WaGo that restarts (after a crash too) takes the
 * same id again, so it can take its own leases back at once instead of waiting for them to expire.
 * The id comes from WAGO_INSTANCE_ID, else from `instance.json` in the data folder. That id is only
 * reused on the same host when the process that wrote it is gone: a second live WaGo sharing the
 * folder (or a container on another host sharing the volume) gets a fresh id, never a twin.
 */
export async function resolveInstanceId(envValue: string | undefined, dataDir: string): Promise<InstanceIdentity> {
  if (envValue) {
    if (claimedHere.has(envValue)) throw new Error('WAGO_INSTANCE_ID is already used by another WaGo in this process');
    claimedHere.add(envValue);
    return { id: envValue, source: 'env' };
  }
  const dir = resolve(dataDir);
  const file = join(dir, 'instance.json');
  const previous = await readRecord(file);
  const host = hostname();
  const reusable =
    previous !== null &&
    previous.host === host &&
    !claimedHere.has(previous.id) &&
    (previous.pid === process.pid || !alive(previous.pid));
  if (previous && !reusable) {
    // Another live WaGo runs from this folder: take a fresh id, and leave its record alone.
    const id = randomUUID();
    claimedHere.add(id);
    return { id, source: 'new' };
  }
  const id = previous?.id ?? randomUUID();
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ id, pid: process.pid, host } satisfies InstanceRecord)}\n`, { mode: 0o600 });
  claimedHere.add(id);
  return { id, source: previous ? 'resumed' : 'new' };
}

/** Lets this process's id be taken again by a later WaGo in the same process (after a clean stop). */
export function releaseInstanceId(id: string): void {
  claimedHere.delete(id);
}
