import pg from 'pg';
import type { Logger } from '../logger';

export interface InstanceLock {
  release(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

async function tryLock(client: pg.Client, id: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext('wago-instance'), hashtext($1)) AS "locked"`, [id]);
  return rows[0]?.locked === true;
}

/**
 * Claims an instance id in PostgreSQL for as long as this process lives: a session-level advisory
 * lock on a connection of its own. PostgreSQL drops it when the process dies (its connection
 * closes), so a restart can claim the id again, while two live processes — on any host, started at
 * the same moment — never both hold it. Null when another live process holds the id.
 *
 * When the connection breaks (PostgreSQL restarted, network cut) the lock is gone with it: the
 * connection is opened again, with backoff, and the lock taken back, for as long as the process runs.
 */
export async function lockInstanceId(databaseUrl: string, id: string, logger: Logger): Promise<InstanceLock | null> {
  const open = () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'wago-instance-lock' });
    client.on('error', (error) => logger.warn({ err: error }, 'the connection holding the instance id lock failed; it is opened again'));
    return client;
  };
  let client = open();
  await client.connect();
  try {
    if (!(await tryLock(client, id))) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch((closeError: unknown) => logger.warn({ err: closeError }, 'could not close the instance id lock connection'));
    throw error;
  }

  let released = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = FIRST_RETRY_MS;
  const retake = async (): Promise<void> => {
    timer = undefined;
    if (released) return;
    const next = open();
    try {
      await next.connect();
      if (!(await tryLock(next, id))) throw new Error(`another live process holds instance id ${id}`);
    } catch (error) {
      logger.warn({ err: error, retryInMs: delay }, 'could not take the instance id lock back yet');
      await next.end().catch(() => undefined);
      timer = setTimeout(() => void retake(), delay);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
      return;
    }
    if (released) {
      await next.end().catch((closeError: unknown) => logger.warn({ err: closeError }, 'could not close the instance id lock connection'));
      return;
    }
    logger.info({ instanceId: id }, 'instance id lock taken back after its connection broke');
    delay = FIRST_RETRY_MS;
    watch(next);
  };
  const watch = (held: pg.Client) => {
    client = held;
    held.once('end', () => {
      if (released || timer) return;
      logger.warn({ instanceId: id }, 'the instance id lock was lost with its connection; taking it back');
      timer = setTimeout(() => void retake(), FIRST_RETRY_MS);
    });
  };
  watch(client);
  return {
    release: async () => {
      released = true;
      if (timer) clearTimeout(timer);
      await client.end();
    },
  };
}
