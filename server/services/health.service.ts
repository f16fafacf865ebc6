import { getRuntime } from '../runtime/registry';
import { ApiError } from '../http/errors';
import { healthRepository } from '../repositories/health.repository';

const DB_TIMEOUT_MS = 2_000;

export interface Readiness {
  database: boolean;
  restore: boolean;
}

/** Whether the database answers within a short time. */
async function databaseAnswers(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DB_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ping().then(() => true as const), late]);
  } catch (error) {
    getRuntime().logger.warn({ err: error }, 'readiness: the database did not answer');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Ready once the database answers and the restore of sessions at start has finished; 503 otherwise. */
export async function readiness(): Promise<Readiness & { status: 'ready' }> {
  const database = await databaseAnswers(() => healthRepository.ping());
  const restore = getRuntime().sessions.restoreFinished;
  if (!database || !restore) {
    const waiting = [!database && 'the database does not answer', !restore && 'sessions are still being restored'].filter(Boolean).join('; ');
    throw new ApiError(503, `not ready: ${waiting}`);
  }
  return { status: 'ready', database, restore };
}

/** The process is up and its event loop turns. */
export function liveness(): { status: 'ok'; uptimeSeconds: number } {
  return { status: 'ok', uptimeSeconds: Math.round((Date.now() - getRuntime().startedAt.getTime()) / 1000) };
}
