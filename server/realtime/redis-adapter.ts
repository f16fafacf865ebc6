import type { Server as SocketServer } from 'socket.io';
import type { Logger } from '../logger';

/**
 * Connects socket.io to Redis (REDIS_URL) so an event emitted by the process that runs a
 * session reaches browsers and API clients connected to any other process.
 */
export async function useRedisAdapter(io: SocketServer, url: string, logger: Logger): Promise<() => Promise<void>> {
  const log = logger.child({ component: 'socket.io-redis' });
  // Loaded only when REDIS_URL is set (the client is some 15 MB).
  const [{ createAdapter }, { createClient }] = await Promise.all([import('@socket.io/redis-adapter'), import('redis')]);
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (error: unknown) => log.error({ err: error }, 'Redis connection error'));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  log.info('socket.io uses the Redis adapter');
  return async () => {
    await Promise.all([pub.quit(), sub.quit()]);
  };
}
