import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { apiKeyRepository, type ApiKeyRow } from '../repositories/api-key.repository';
import { digestsEqual, generateToken, hashToken } from '../lib/tokens';
import { getRuntime } from '../runtime/registry';
import { notFound } from '../http/errors';

/** Every account API key starts with this, so a leaked one is easy to recognise. */
export const API_KEY_PREFIX = 'wago_';
const DISPLAY_CHARS = API_KEY_PREFIX.length + 4;
/** The last-used time is written at most this often per key. */
const TOUCH_EVERY_MS = 30_000;

/** An API key as the dashboard lists it (never the key). */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  name: row.name,
  prefix: row.keyPrefix,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Creates a key for the actor's own account; the key is returned here once and stored only as a hash. */
export async function createApiKey(actor: Actor, name: string): Promise<{ key: string; apiKey: ApiKeyView }> {
  const key = `${API_KEY_PREFIX}${generateToken()}`;
  const row = await apiKeyRepository.create({ accountId: actor.id, name: name.trim(), keyHash: hashToken(key), keyPrefix: key.slice(0, DISPLAY_CHARS) });
  return { key, apiKey: view(row) };
}

export async function listApiKeys(actor: Actor): Promise<ApiKeyView[]> {
  return (await apiKeyRepository.listForAccount(actor.id)).map(view);
}

const uuid = z.uuid();

/** Revokes one of the actor's own keys at once; another account's key answers as unknown. */
export async function revokeApiKey(actor: Actor, id: string): Promise<{ revoked: string }> {
  if (!uuid.safeParse(id).success || !(await apiKeyRepository.revoke(actor.id, id))) throw notFound('id: no such API key');
  return { revoked: id };
}

/** Who an account API key acts for: a tenant's keys reach only its sessions; an admin account's reach everything. */
export interface ApiKeyPrincipal {
  keyId: string;
  accountId: string;
  /** Null for an admin account's key (full reach, like the admin token). */
  tenantId: string | null;
}

const lastTouched = new Map<string, number>();

/** Resolves an account API key, or null when it is not one (unknown or revoked). */
export async function authenticateApiKey(key: string): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const digest = hashToken(key);
  const row = await apiKeyRepository.findActiveByHash(digest);
  if (!row || !digestsEqual(digest, row.keyHash)) return null;
  const now = Date.now();
  if ((lastTouched.get(row.id) ?? 0) + TOUCH_EVERY_MS < now) {
    lastTouched.set(row.id, now);
    apiKeyRepository.touch(row.id, new Date(now)).catch((error: unknown) => getRuntime().logger.warn({ err: error, keyId: row.id }, 'could not record an API key use'));
  }
  return { keyId: row.id, accountId: row.accountId, tenantId: row.account.role === 'admin' ? null : row.accountId };
}
