import { getRuntime } from '../runtime/registry';
import { sessionRepository, type SessionRow } from '../repositories/session.repository';
import { generateToken, hashToken } from '../lib/tokens';
import { badRequest, conflict, notFound } from '../http/errors';

/** How a session is shown to API callers and the dashboard (never the token). */
export interface SessionView {
  id: string;
  name: string;
  tokenPrefix: string;
  os: string;
  state: string;
  connected: boolean;
  loggedIn: boolean;
  jid: string | null;
  lid: string | null;
  pushName: string | null;
  lastError: string | null;
  webhookUrl: string | null;
  events: string[];
  ownerId: string | null;
  createdAt: string;
  loggedInAt: string | null;
}

export function toSessionView(row: SessionRow): SessionView {
  return {
    id: row.id,
    name: row.name,
    tokenPrefix: row.tokenPrefix,
    os: row.os,
    state: row.state,
    connected: row.state === 'connected',
    loggedIn: row.jid !== null && row.loggedInAt !== null,
    jid: row.jid,
    lid: row.lid,
    pushName: row.pushName,
    lastError: row.lastError,
    webhookUrl: row.webhookUrl,
    events: row.events,
    ownerId: row.ownerId,
    createdAt: row.createdAt.toISOString(),
    loggedInAt: row.loggedInAt?.toISOString() ?? null,
  };
}

export interface CreateSessionInput {
  name?: string;
  token?: string;
  os?: string;
  ownerId?: string | null;
}

export const TOKEN_MIN_LENGTH = 16;

/** Creates a session; the token is returned here once and stored only as a hash. */
export async function createSession(input: CreateSessionInput): Promise<{ session: SessionView; token: string }> {
  const token = input.token ?? generateToken();
  const tokenHash = hashToken(token);
  if (await sessionRepository.findByTokenHash(tokenHash)) throw conflict('Token is already used by another session');
  const name = input.name?.trim() || `session-${token.slice(0, 6)}`;
  try {
    const row = await sessionRepository.create({
      name,
      tokenHash,
      tokenPrefix: token.slice(0, 4),
      os: input.os?.trim() || 'WaGo',
      ownerId: input.ownerId ?? null,
    });
    return { session: toSessionView(row), token };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw conflict('Token is already used by another session');
    throw error;
  }
}

export async function listSessions(filter: { ownerId?: string; loggedIn?: boolean } = {}): Promise<SessionView[]> {
  return (await sessionRepository.list(filter)).map(toSessionView);
}

/** Finds the session a token belongs to (for admin routes that name a session by its token). */
export async function findSessionIdByToken(token: string): Promise<string> {
  const row = await sessionRepository.findByTokenHash(hashToken(token));
  if (!row) throw notFound('no session has this token');
  return row.id;
}

/**
 * For a caller scoped to one tenant (an account API key): refuses a session the tenant does not
 * own exactly as one that does not exist (404), so ids can't be probed. Null scope: full reach.
 */
export async function requireInScope(id: string, tenantId: string | null): Promise<void> {
  if (tenantId === null) return;
  const row = await sessionRepository.findById(id);
  if (!row || row.ownerId !== tenantId) throw notFound('session not found');
}

/** Unlinks a running session, then deletes it and, through foreign keys, everything stored for it. */
export async function deleteSession(id: string): Promise<void> {
  await getRuntime().sessions.remove(id, { logout: true });
  const deleted = await sessionRepository.delete(id);
  if (!deleted) throw notFound('session not found');
  getRuntime().tokenCache.forgetSession(id);
}

/** Renames a session (the name is only for people telling sessions apart). */
export async function renameSession(id: string, name: string): Promise<SessionView> {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('name: must not be empty');
  const row = await sessionRepository.rename(id, trimmed);
  if (!row) throw notFound('session not found');
  return toSessionView(row);
}

/** Replaces a session's token: the new one is returned here once; the old one stops working at once. */
export async function regenerateSessionToken(id: string): Promise<{ token: string; tokenPrefix: string }> {
  const token = generateToken();
  const row = await sessionRepository.updateToken(id, hashToken(token), token.slice(0, 4));
  getRuntime().tokenCache.forgetSession(id);
  return { token, tokenPrefix: row.tokenPrefix };
}
