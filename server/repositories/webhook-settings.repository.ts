import { getRuntime } from '../runtime/registry';

/** A session's webhook columns as stored (the secret still encrypted). */
export interface StoredWebhookSettings {
  webhookUrl: string | null;
  webhookSecret: Uint8Array | null;
  webhookFormat: string;
  events: string[];
}

export interface WebhookSettingsPatch {
  webhookUrl?: string | null;
  webhookFormat?: string;
  events?: string[];
  /** Encrypted secret. */
  webhookSecret?: Uint8Array;
}

const db = () => getRuntime().prisma;
const columns = { webhookUrl: true, webhookSecret: true, webhookFormat: true, events: true } as const;

/** The webhook columns of `sessions`: URL, encrypted signing secret, body format, subscription. */
export const webhookSettingsRepository = {
  find(sessionId: string): Promise<StoredWebhookSettings | null> {
    return db().session.findUnique({ where: { id: sessionId }, select: columns });
  },
  /** Applies a patch; returns the new settings, or null when the session does not exist. */
  async update(sessionId: string, patch: WebhookSettingsPatch): Promise<StoredWebhookSettings | null> {
    const { webhookSecret, ...rest } = patch;
    const data = { ...rest, ...(webhookSecret ? { webhookSecret: Uint8Array.from(webhookSecret) } : {}) };
    const result = await db().session.updateMany({ where: { id: sessionId }, data });
    if (result.count === 0) return null;
    return this.find(sessionId);
  },
  /** Stores a secret only if the session has none yet; returns whether this call stored it. */
  async setSecretIfAbsent(sessionId: string, sealed: Uint8Array): Promise<boolean> {
    const result = await db().session.updateMany({
      where: { id: sessionId, webhookSecret: null },
      data: { webhookSecret: Uint8Array.from(sealed) },
    });
    return result.count === 1;
  },
};
