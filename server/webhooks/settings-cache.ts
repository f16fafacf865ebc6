import type { CryptoBox } from '../lib/crypto-box';
import { webhookSettingsRepository, type StoredWebhookSettings } from '../repositories/webhook-settings.repository';

export type WebhookFormat = 'json' | 'form';

/** What the pipeline needs to know about a session's webhook, secret decrypted. */
export interface WebhookTarget {
  url: string | null;
  /** Subscription: empty or ["All"] = every event type. */
  events: string[];
  format: WebhookFormat;
  secret: string | null;
}

export function secretAad(sessionId: string): string {
  return `webhook-secret:${sessionId}`;
}

export function toWebhookTarget(sessionId: string, stored: StoredWebhookSettings, crypto: CryptoBox): WebhookTarget {
  return {
    url: stored.webhookUrl,
    events: stored.events,
    format: stored.webhookFormat === 'form' ? 'form' : 'json',
    secret: stored.webhookSecret ? crypto.decrypt(stored.webhookSecret, secretAad(sessionId)).toString('utf8') : null,
  };
}

interface Entry {
  target: WebhookTarget | null;
  expiresAt: number;
}

/**
 * Sessions' webhook settings, kept briefly in memory so a burst of events costs one query per
 * session, not one per event. Concurrent misses share one load. Changes made in this process
 * invalidate the entry at once; changes made by other processes are seen within `ttlMs`.
 */
export class WebhookSettingsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<WebhookTarget | null>>();
  private generation = 0;

  constructor(
    private readonly crypto: CryptoBox,
    private readonly ttlMs = 5_000,
  ) {}

  /** The session's settings, or null when the session does not exist. */
  async get(sessionId: string): Promise<WebhookTarget | null> {
    const entry = this.entries.get(sessionId);
    if (entry && entry.expiresAt > Date.now()) return entry.target;
    const inFlight = this.loading.get(sessionId);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const load = webhookSettingsRepository
      .find(sessionId)
      .then((stored) => {
        const target = stored ? toWebhookTarget(sessionId, stored, this.crypto) : null;
        // An invalidation during the load means this answer may be stale: use it once, don't keep it.
        if (generation === this.generation) this.entries.set(sessionId, { target, expiresAt: Date.now() + this.ttlMs });
        return target;
      })
      .finally(() => {
        if (this.loading.get(sessionId) === load) this.loading.delete(sessionId);
      });
    this.loading.set(sessionId, load);
    return load;
  }

  invalidate(sessionId: string): void {
    this.generation++;
    this.entries.delete(sessionId);
    this.loading.delete(sessionId);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }
}
