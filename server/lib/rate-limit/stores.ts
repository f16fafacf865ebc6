import { createClient } from 'redis';
import { gcraStep, type Decision, type GcraParams } from './gcra';
import { rateLimitRepository } from '../../repositories/rate-limit.repository';

/** Where the buckets live; `take` is one atomic GCRA step. */
export interface RateStore {
  readonly name: 'memory' | 'postgres' | 'redis';
  take(key: string, params: GcraParams): Promise<Decision>;
  /** Forgets idle buckets (called now and then). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** One process only: buckets in a Map. */
export class MemoryRateStore implements RateStore {
  readonly name = 'memory';
  private readonly tats = new Map<string, number>();

  async take(key: string, params: GcraParams): Promise<Decision> {
    const step = gcraStep(this.tats.get(key), Date.now(), params);
    if (step.allowed) this.tats.set(key, step.tatMs);
    return step;
  }

  async sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, tat] of this.tats) if (tat < now) this.tats.delete(key);
  }

  async close(): Promise<void> {}
}

/** Shared through PostgreSQL: one UPSERT per request (rate_limit_buckets, an unlogged table). */
export class PostgresRateStore implements RateStore {
  readonly name = 'postgres';
  take(key: string, params: GcraParams): Promise<Decision> {
    return rateLimitRepository.take(key, params);
  }
  async sweep(): Promise<void> {
    await rateLimitRepository.deleteIdle(60_000);
  }
  async close(): Promise<void> {}
}

// The same GCRA step in Redis, atomic as a script, on Redis's clock. The key expires once its
// bucket is full again. Answers {1, 0} (let in) or {0, ms to wait}.
const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then return {0, math.ceil(tat - now - tolerance)} end
tat = tat + interval
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
return {1, 0}`;

/** Shared through Redis (REDIS_URL): one script call per request. */
export class RedisRateStore implements RateStore {
  readonly name = 'redis';
  private constructor(private readonly client: ReturnType<typeof createClient>) {}

  static async connect(url: string, onError: (error: unknown) => void): Promise<RedisRateStore> {
    const client = createClient({ url });
    client.on('error', onError);
    await client.connect();
    return new RedisRateStore(client);
  }

  async take(key: string, { intervalMs, toleranceMs }: GcraParams): Promise<Decision> {
    const answer = (await this.client.eval(GCRA_SCRIPT, { keys: [`wago:rl:${key}`], arguments: [String(intervalMs), String(toleranceMs)] })) as [number, number];
    return { allowed: answer[0] === 1, retryAfterMs: answer[1] };
  }

  async sweep(): Promise<void> {}

  async close(): Promise<void> {
    await this.client.quit();
  }
}
