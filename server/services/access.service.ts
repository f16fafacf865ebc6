import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { sessionRepository } from '../repositories/session.repository';
import { notFound } from '../http/errors';
import { toSessionView, type SessionView } from './session.service';

const uuid = z.uuid();

/**
 * The rule of the dashboard: an admin reaches every session, a tenant only the sessions it
 * owns. A session another tenant owns answers exactly like one that does not exist, so ids
 * can't be probed. Every dashboard operation on a session passes through here first.
 */
export async function requireSessionAccess(actor: Actor, sessionId: string): Promise<SessionView> {
  const row = uuid.safeParse(sessionId).success ? await sessionRepository.findById(sessionId) : null;
  if (!row || (actor.role !== 'admin' && row.ownerId !== actor.id)) throw notFound('sessionId: no such session');
  return toSessionView(row);
}

/** One session as its dashboard page shows it: its view, when it was linked, and (for admins) its owner. */
export interface SessionDetail extends SessionView {
  /** When the WhatsApp link was made; kept after a logout (null: never linked). */
  linkedAt: string | null;
  /** The owner's e-mail for an admin (null: created with the admin token over REST); absent for a tenant. */
  ownerEmail?: string | null;
}

/** The session page's data, under the same access rule as `requireSessionAccess`. */
export async function sessionDetailFor(actor: Actor, sessionId: string): Promise<SessionDetail> {
  const row = uuid.safeParse(sessionId).success ? await sessionRepository.findByIdWithOwner(sessionId) : null;
  if (!row || (actor.role !== 'admin' && row.ownerId !== actor.id)) throw notFound('sessionId: no such session');
  return {
    ...toSessionView(row),
    linkedAt: row.linkedAt?.toISOString() ?? null,
    ...(actor.role === 'admin' ? { ownerEmail: row.owner?.email ?? null } : {}),
  };
}

/** A session in the dashboard's lists: its view plus owner and last activity. */
export interface DashboardSession extends SessionView {
  ownerEmail: string | null;
  /** Newest of: last stored message, last connection. */
  lastActivityAt: string | null;
}

/** The sessions an actor may see: all for an admin (optionally of one owner), its own for a tenant. */
export async function listSessionsFor(actor: Actor, filter: { ownerId?: string } = {}): Promise<DashboardSession[]> {
  const ownerId = actor.role === 'admin' ? filter.ownerId : actor.id;
  const rows = await sessionRepository.listWithOwner(ownerId);
  const lastMessages = await sessionRepository.lastMessageTimes(rows.map((r) => r.id));
  return rows.map((row) => {
    const times = [lastMessages.get(row.id), row.connectedAt].filter((t): t is Date => t instanceof Date);
    const last = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
    return { ...toSessionView(row), ownerEmail: row.owner?.email ?? null, lastActivityAt: last?.toISOString() ?? null };
  });
}
