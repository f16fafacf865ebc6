import pg from 'pg';
import { findPostgres, createDatabase } from '../../scripts/lib/postgres.mjs';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test PostgreSQL server (`WAGO_TEST_PG_URL`, set by
 * `npm test`; otherwise found the same way). Each test file gets its own.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  let maintenance = process.env.WAGO_TEST_PG_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!maintenance) {
    const found = await findPostgres();
    maintenance = found.url;
    stopServer = found.stop;
  }
  const db = await createDatabase(maintenance);
  return {
    url: db.url,
    drop: async () => {
      await db.drop();
      await stopServer?.();
    },
  };
}

/** Runs one query on its own connection to `databaseUrl` and returns its rows. */
export async function queryRows<R extends pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
