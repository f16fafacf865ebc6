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
