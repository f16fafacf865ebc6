import { getRuntime } from '../runtime/registry';
import { sessionLeaseRepository } from '../repositories/session-lease.repository';
import { sessionRepository } from '../repositories/session.repository';
import { ApiError, unavailable } from '../http/errors';

/** Another WaGo process's live lease on the session, when there is one. */
export async function foreignLease(sessionId: string): Promise<{ ownerId: string; expiresAt: Date } | null> {
  const lease = await sessionLeaseRepository.live(sessionId);
  if (!lease || lease.ownerId === getRuntime().instanceId) return null;
  return { ownerId: lease.ownerId, expiresAt: lease.expiresAt };
}

/** What a status says while the session waits for another process's lease. */
export function waitingForLeaseMessage(lease: { expiresAt: Date }): string {
  return `another WaGo process holds the session's lease until ${lease.expiresAt.toISOString()}; it is taken over here if that process does not renew it`;
}

/**
 * Why a session has no connected socket in this process, for calls that need one: when it only
 * waits (for another process's lease, or for its restore after a restart) the caller gets 503 with
 * Retry-After instead of the advice to connect it (`notConnected`, a 409).
 */
export async function explainNotConnected(sessionId: string, notConnected: ApiError): Promise<ApiError> {
  const lease = await foreignLease(sessionId);
  if (lease) {
    return unavailable(`the session is not available in this process: ${waitingForLeaseMessage(lease)}`, (lease.expiresAt.getTime() - Date.now()) / 1000);
  }
  const row = await sessionRepository.findById(sessionId);
  const runtime = getRuntime();
  if (row?.autoConnect && row.loggedInAt !== null && !runtime.sessions.runsLocally(sessionId)) {
    // Linked and meant to run, but no process runs it yet: the orphan scan starts it within a heartbeat.
    return unavailable('the session is being restored: retry shortly', runtime.config.WAGO_LEASE_TTL_MS / 3000 + 1);
  }
  return notConnected;
}
