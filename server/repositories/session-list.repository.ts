import { getRuntime } from '../runtime/registry';
import type { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

export interface SessionListQuery {
  /** Part of the name, phone (JID), push name or id. */
  search?: string;
  state?: string;
  ownerId?: string;
  /** Only sessions whose webhook is failing: an event pending whose last attempt failed (as the webhook inspector says). */
  failing?: boolean;
  skip: number;
  take: number;
}

/** A webhook event whose last attempt failed and that is being retried. */
const FAILING: Prisma.WebhookEventWhereInput = { status: 'pending', attempts: { gt: 0 }, lastError: { not: null } };

function whereOf(q: SessionListQuery): Prisma.SessionWhereInput {
  const search = q.search?.trim();
  const digits = search?.replace(/[^\d]/g, '');
  return {
    ...(q.ownerId ? { ownerId: q.ownerId } : {}),
    ...(q.state ? { state: q.state } : {}),
    ...(q.failing ? { webhookEvents: { some: FAILING } } : {}),
    ...(search
      ? {
          OR: [
            { name: { contains: search, mode: 'insensitive' } },
            { pushName: { contains: search, mode: 'insensitive' } },
            ...(digits ? [{ jid: { contains: digits } }] : []),
            ...(/^[0-9a-f-]{36}$/i.test(search) ? [{ id: search.toLowerCase() }] : []),
          ],
        }
      : {}),
  };
}

/** One page of the sessions list (server-side search, filters and pagination). */
export const sessionListRepository = {
  async page(q: SessionListQuery) {
    const where = whereOf(q);
    const [total, rows] = await Promise.all([
      db().session.count({ where }),
      db().session.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: q.skip, take: q.take, include: { owner: { select: { email: true } } } }),
    ]);
    return { total, rows };
  },
  /** Which of these sessions have a failing webhook, with how many events are being retried. */
  async failingCounts(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await db().webhookEvent.groupBy({ by: ['sessionId'], where: { sessionId: { in: ids }, ...FAILING }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.sessionId, r._count._all]));
  },
};
