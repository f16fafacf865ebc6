import type { Logger } from '../../logger';
import { gcraParams, type Decision, type GcraParams } from './gcra';
import type { RateSpec } from './rate-spec';
import type { RateStore } from './stores';

/** Which limit a credential falls under: a session token, an admin credential, a dashboard account. */
export type RateTier = 'session' | 'admin' | 'dashboard';

const ALLOW: Decision = { allowed: true, retryAfterMs: 0 };

/**
 * Per-credential request limits. The key is the credential's SHA-256 (never the secret), so a
 * session token, the admin token and each API key have their own bucket, shared by every
 * process through the store; a dashboard account's bucket is keyed by the account's id. When the store fails (database or Redis down) requests are let in
 * and the failure is logged: the limit protects the gateway, it must not take it down.
 */
export class RateLimiter {
  private readonly params: Record<RateTier, GcraParams | null>;
  private lastErrorLog = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly spec: Record<RateTier, RateSpec>,
    readonly store: RateStore,
    private readonly logger: Logger,
  ) {
    const params = (limit: RateSpec) => (limit ? gcraParams(limit.rate, limit.burst) : null);
    this.params = { session: params(spec.session), admin: params(spec.admin), dashboard: params(spec.dashboard) };
    this.sweeper = setInterval(() => void this.store.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'rate-limit sweep failed')), 5 * 60_000);
    this.sweeper.unref();
  }

  /** "50/s, burst 100" (for error messages). */
  describe(tier: RateTier): string {
    const limit = this.spec[tier];
    return limit ? `${limit.rate}/s, burst ${limit.burst}` : 'none';
  }

  /** Whether the tier has a limit at all. */
  limits(tier: RateTier): boolean {
    return this.params[tier] !== null;
  }

  /** Counts one request of the credential (its hash, or the dashboard account's id); refuses it when over the limit. */
  async take(tier: RateTier, credentialHash: string): Promise<Decision> {
    const params = this.params[tier];
    if (!params) return ALLOW;
    try {
      return await this.store.take(`${tier}:${credentialHash}`, params);
    } catch (error) {
      const now = Date.now();
      if (now - this.lastErrorLog > 10_000) {
        this.lastErrorLog = now;
        this.logger.error({ err: error, store: this.store.name }, 'rate-limit store failed; requests are let in meanwhile');
      }
      return ALLOW;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.store.close();
  }
}
