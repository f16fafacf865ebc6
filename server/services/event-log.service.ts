import type { Actor } from '../auth/actor';
import { isEventType } from '../events/types';
import { badRequest } from '../http/errors';
import { sessionRepository } from '../repositories/session.repository';
import { sessionEventRepository } from '../repositories/session-event.repository';
import { requireSessionAccess } from './access.service';

/** One stored event as the dashboard shows it: the live event's shape plus its place in the log. */
export interface LoggedEvent {
  id: string;
  type: string;
  sessionId: string;
  sessionName: string;
  timestamp: string;
  data: Record<string, unknown>;
  /** Position in the log (page back with `before`). */
  seq: string;
}

export interface EventHistoryQuery {
  /** One session; absent: every session the actor may see (an admin: all of them). */
  sessionId?: string;
  type?: string;
  search?: string;
  /** `seq` of the oldest event already shown. */
  before?: string;
  limit?: number;
}

export const EVENT_HISTORY_MAX = 200;

/**
 * The event history from the event log, newest first: one session's (checked like every
 * dashboard call: another tenant's session is not found), or every session the actor may see.
 */
export async function listEventHistory(actor: Actor, query: EventHistoryQuery): Promise<LoggedEvent[]> {
  // The session first: another tenant's session is not found, whatever else the input says.
  let sessionIds: string[] | null;
  if (query.sessionId) sessionIds = [(await requireSessionAccess(actor, query.sessionId)).id];
  else if (actor.role === 'admin') sessionIds = null;
  else sessionIds = (await sessionRepository.listWithOwner(actor.id)).map((s) => s.id);
  if (query.type && !isEventType(query.type)) throw badRequest(`type: unknown event type ${JSON.stringify(query.type)}`);
  if (query.before !== undefined && !/^\d{1,19}$/.test(query.before)) throw badRequest('before: must be an event position (digits)');
  if (sessionIds?.length === 0) return [];
  const rows = await sessionEventRepository.list({
    sessionIds,
    type: query.type || undefined,
    search: query.search?.trim() || undefined,
    beforeSeq: query.before === undefined ? undefined : BigInt(query.before),
    limit: Math.min(Math.max(query.limit ?? 100, 1), EVENT_HISTORY_MAX),
  });
  return rows.map((r) => ({
    id: r.eventId,
    type: r.type,
    sessionId: r.sessionId,
    sessionName: r.sessionName,
    timestamp: r.createdAt.toISOString(),
    data: r.payload && typeof r.payload === 'object' && !Array.isArray(r.payload) ? (r.payload as Record<string, unknown>) : {},
    seq: r.seq.toString(),
  }));
}
