import { getRuntime } from '../runtime/registry';
import { sessionRepository } from '../repositories/session.repository';
import { settingRepository } from '../repositories/setting.repository';
import { digestsEqual, generateToken, hashToken } from '../lib/tokens';
import { forbidden, unauthorized } from '../http/errors';
import { authenticateApiKey } from './api-key.service';

/** Who a session token belongs to. */
export interface SessionPrincipal {
  id: string;
  name: string;
  ownerId: string | null;
}

const ADMIN_TOKEN_KEY = 'admin_token_sha256';

export type AdminTokenSource = { source: 'env' } | { source: 'stored' } | { source: 'generated'; token: string };

/**
 * Decides the admin token at start: WAGO_ADMIN_TOKEN when set; otherwise the hash stored on
 * an earlier start; otherwise a new random token, stored hashed, returned once to be printed.
 */
export async function resolveAdminToken(envToken: string | undefined): Promise<{ hash: string } & AdminTokenSource> {
  if (envToken) return { hash: hashToken(envToken), source: 'env' };
  const stored = await settingRepository.get(ADMIN_TOKEN_KEY);
  if (stored) return { hash: stored, source: 'stored' };
  const token = generateToken();
  const hash = hashToken(token);
  if (await settingRepository.setIfAbsent(ADMIN_TOKEN_KEY, hash)) return { hash, source: 'generated', token };
  // Another process generated one at the same moment: use theirs.
  const winner = await settingRepository.get(ADMIN_TOKEN_KEY);
  if (!winner) throw new Error('admin token could not be stored');
  return { hash: winner, source: 'stored' };
}

/** Replaces the stored admin token with a new one (used by `npm run admin-token`). */
export async function rotateAdminToken(): Promise<string> {
  const token = generateToken();
  await settingRepository.set(ADMIN_TOKEN_KEY, hashToken(token));
  return token;
}

export function isAdminToken(token: string): boolean {
  return digestsEqual(hashToken(token), getRuntime().adminTokenHash);
}

/** Who is calling an admin route: the admin token (or an admin account's key) reaches everything, a tenant's key only its own sessions. */
export interface AdminPrincipal {
  /** The tenant account a key belongs to, or null for full reach. */
  tenantId: string | null;
  /** Set when the credential is an account API key: the key and the account it belongs to. */
  keyId?: string;
  accountId?: string;
}

/**
 * Authenticates the `admintoken` header: the admin token, or an account API key (see
 * api-key.service.ts). 401 for anything else, 403 when only a session token was sent.
 */
export async function authenticateAdmin(adminToken: string | undefined, sessionToken: string | undefined): Promise<AdminPrincipal> {
  if (adminToken) {
    if (isAdminToken(adminToken)) return { tenantId: null };
    const key = await authenticateApiKey(adminToken);
    if (key) return { tenantId: key.tenantId, keyId: key.keyId, accountId: key.accountId };
    throw unauthorized('admintoken header is not a valid admin token or API key');
  }
  if (sessionToken) throw forbidden('this route needs the admintoken header; a session token is not enough');
  throw unauthorized('admintoken header is required');
}

/** Resolves a session token to its session, or throws 401. */
export async function authenticateSession(token: string | undefined): Promise<SessionPrincipal> {
  if (!token) throw unauthorized('token header is required');
  const digest = hashToken(token);
  const { tokenCache } = getRuntime();
  const cached = tokenCache.get(digest);
  if (cached) return cached;
  const row = await sessionRepository.findByTokenHash(digest);
  if (!row || !digestsEqual(digest, row.tokenHash)) throw unauthorized('token header is not a valid session token');
  const principal = { id: row.id, name: row.name, ownerId: row.ownerId };
  tokenCache.set(digest, principal);
  return principal;
}
