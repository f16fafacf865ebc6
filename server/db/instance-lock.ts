import pg from 'pg';
import type { Logger } from '../logger';

export interface InstanceLock {
  release(): Promise<void>;
}

/**
 * Claims an instance id in PostgreSQL for as long as this process lives: a session-level advisory
 * lock on a connection of its own. PostgreSQL drops it when the process dies (its connection
 * closes), so a restart can claim the id again, while two live processes — on any host, started at
 * the same moment — never both hold it. Null when another live process holds the id.
 */
export async function lockInstanceId(databaseUrl: string, id: string, logger: Logger): Promise<InstanceLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'wago-instance-lock' });
  client.on('error', (error) => logger.warn({ err: error }, 'the connection holding the instance id lock failed'));
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext('wago-instance'), hashtext($1)) AS "locked"`, [id]);
    if (!rows[0]?.locked) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch((closeError: unknown) => logger.warn({ err: closeError }, 'could not close the instance id lock connection'));
    throw error;
  }
  return {
    release: async () => {
      await client.end();
    },
  };
}
