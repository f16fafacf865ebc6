import type { Actor } from '../auth/actor';
import { sessionListRepository } from '../repositories/session-list.repository';
import { sessionRepository } from '../repositories/session.repository';
import { toSessionView } from './session.service';
import type { DashboardSession } from './access.service';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface SessionPageInput {
  search?: string;
  state?: string;
  /** Admins only: sessions of one owner. */
  ownerId?: string;
  failing?: boolean;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface ListedSession extends DashboardSession {
  /** Webhook events being retried after a failed attempt (0: the webhook is fine). */
  failingWebhooks: number;
}

export interface SessionPage {
  items: ListedSession[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

/**
 * The dashboard's sessions list, one page at a time: searched, filtered and paginated in
 * PostgreSQL, so the first page of thousands of sessions costs what a page costs. A tenant sees
 * only its own sessions whatever it asks.
 */
export async function listSessionsPage(actor: Actor, input: SessionPageInput = {}): Promise<SessionPage> {
  const pageSize = input.pageSize ?? 25;
  const page = Math.max(1, input.page ?? 1);
  const ownerId = actor.role === 'admin' ? input.ownerId : actor.id;
  const { total, rows } = await sessionListRepository.page({ search: input.search, state: input.state, ownerId, failing: input.failing, skip: (page - 1) * pageSize, take: pageSize });
  const ids = rows.map((r) => r.id);
  const [lastMessages, failing] = await Promise.all([sessionRepository.lastMessageTimes(ids), sessionListRepository.failingCounts(ids)]);
  const items = rows.map((row) => {
    const times = [lastMessages.get(row.id), row.connectedAt].filter((t): t is Date => t instanceof Date);
    const last = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
    return { ...toSessionView(row), ownerEmail: row.owner?.email ?? null, lastActivityAt: last?.toISOString() ?? null, failingWebhooks: failing.get(row.id) ?? 0 };
  });
  return { items, total, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
