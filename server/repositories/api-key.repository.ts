import { getRuntime } from '../runtime/registry';
import type { ApiKey } from '../generated/prisma/client';

export type ApiKeyRow = ApiKey;

const db = () => getRuntime().prisma;

/** The only code that reads and writes the `api_keys` table (tenants' account API keys). */
export const apiKeyRepository = {
  create(data: { accountId: string; name: string; keyHash: string; keyPrefix: string }): Promise<ApiKeyRow> {
    return db().apiKey.create({ data });
  },
  /** A key that is not revoked, by its hash, with its account's role. */
  findActiveByHash(keyHash: string) {
    return db().apiKey.findFirst({ where: { keyHash, revokedAt: null }, include: { account: { select: { role: true } } } });
  },
  /** An account's keys, newest first (revoked ones too: they show when they stopped working). */
  listForAccount(accountId: string): Promise<ApiKeyRow[]> {
    return db().apiKey.findMany({ where: { accountId }, orderBy: { createdAt: 'desc' } });
  },
  /** Revokes one of the account's keys; false when it has no such key or it is revoked already. */
  async revoke(accountId: string, id: string): Promise<boolean> {
    const result = await db().apiKey.updateMany({ where: { id, accountId, revokedAt: null }, data: { revokedAt: new Date() } });
    return result.count > 0;
  },
  async touch(id: string, at: Date): Promise<void> {
    await db().apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  },
};
