import { getRuntime } from '../runtime/registry';
import type { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

export interface AuditRow {
  id: bigint;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetSessionId: string | null;
  targetAccountId: string | null;
  ip: string | null;
  userAgent: string | null;
  status: number;
  requestId: string | null;
}

export type NewAuditRow = Omit<AuditRow, 'id' | 'at'>;

export interface AuditQuery {
  actorKind?: string;
  actorId?: string;
  /** Prefix of the action, e.g. "POST /session/" or "trpc account.". */
  action?: string;
  sessionId?: string;
  accountId?: string;
  since?: Date;
  until?: Date;
  /** Only entries older than this id (the cursor). */
  beforeId?: bigint;
  limit: number;
}

/** The audit log (audit_log): append, read newest first, trim. */
export const auditRepository = {
  async insert(row: NewAuditRow): Promise<void> {
    await db().auditEntry.create({ data: row });
  },

  async list(q: AuditQuery): Promise<AuditRow[]> {
    const where: Prisma.AuditEntryWhereInput = {
      actorKind: q.actorKind,
      actorId: q.actorId,
      action: q.action ? { startsWith: q.action } : undefined,
      targetSessionId: q.sessionId,
      targetAccountId: q.accountId,
      at: q.since || q.until ? { gte: q.since, lt: q.until } : undefined,
      id: q.beforeId !== undefined ? { lt: q.beforeId } : undefined,
    };
    return db().auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: q.limit });
  },

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await db().auditEntry.deleteMany({ where: { at: { lt: cutoff } } });
    return result.count;
  },
};
