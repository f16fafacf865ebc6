import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** A PostgreSQL cluster of its own (a temp folder, a free port) that a test may stop and start at will. */
export interface ThrowawayPostgres {
  url: string;
  /** Stops the server with a fast shutdown (every connection is ended at once). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

/** The newest Debian PostgreSQL binary folder (`/usr/lib/postgresql/<version>/bin`), if any. */
export async function debianPostgresBin(): Promise<string | undefined> {
  const versions = await readdir(DEBIAN_ROOT).catch(() => [] as string[]);
  const newest = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(DEBIAN_ROOT, newest, 'bin') : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user. */
async function clusterUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * Starts a throwaway cluster with Debian's binaries, never touching the machine's shared one.
 * `{ unavailable }` (with the reason) when no binaries are installed.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | { unavailable: string }> {
  const bin = await debianPostgresBin();
  if (!bin) return { unavailable: `no PostgreSQL binaries under ${DEBIAN_ROOT}` };
  const user = await clusterUser().catch(() => undefined);
  if (userInfo().uid === 0 && !user) return { unavailable: 'running as root and no postgres system user to run the cluster as' };
  const base = await mkdtemp(join(tmpdir(), 'wago-pg-restart-'));
  await chmod(base, 0o755);
  const dataDir = join(base, 'data');
  if (user) await chown(base, user.uid, user.gid);
  const run = (tool: string, args: string[]) => execFileAsync(join(bin, tool), args, { cwd: base, uid: user?.uid, gid: user?.gid, env: { ...process.env, LC_ALL: 'C' } });
  await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = async () => {
    await run('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  const url = `postgresql://postgres@127.0.0.1:${port}/wago_restart`;
  const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE wago_restart');
  await admin.end();
  return {
    url,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    },
  };
}
