import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { RateLimiter } from './rate-limiter';
import { MemoryRateStore, PostgresRateStore, RedisRateStore, type RateStore } from './stores';

export { RateLimiter, type RateTier } from './rate-limiter';

/**
 * Builds the process's rate limiter. `auto` shares the buckets through Redis when REDIS_URL is
 * set; with the embedded database (which no other process can share) keeps them in memory;
 * otherwise shares them through PostgreSQL.
 */
export async function createRateLimiter(config: Config, embeddedDatabase: boolean, logger: Logger): Promise<RateLimiter> {
  const log = logger.child({ component: 'rate-limit' });
  let kind = config.WAGO_RATE_LIMIT_STORE;
  if (kind === 'auto') kind = config.REDIS_URL ? 'redis' : embeddedDatabase ? 'memory' : 'postgres';
  let store: RateStore;
  if (kind === 'redis') {
    if (!config.REDIS_URL) throw new Error('WAGO_RATE_LIMIT_STORE=redis needs REDIS_URL');
    store = await RedisRateStore.connect(config.REDIS_URL, (error) => log.error({ err: error }, 'Redis connection error (rate limits)'));
  } else {
    store = kind === 'memory' ? new MemoryRateStore() : new PostgresRateStore();
  }
  const spec = { session: config.WAGO_RATE_LIMIT_SESSION, admin: config.WAGO_RATE_LIMIT_ADMIN, dashboard: config.WAGO_RATE_LIMIT_DASHBOARD };
  const limiter = new RateLimiter(spec, store, log);
  log.info({ store: store.name, ...spec }, 'per-credential rate limits');
  return limiter;
}
