import { auditRepository, type AuditRow } from '../repositories/audit.repository';
import { findRuntime } from '../runtime/registry';
import { startRetentionSweep, type RunningSweep } from '../lib/retention-sweep';
import type { Logger } from '../logger';

/** Who acted: never a secret, only ids, names and the first characters of a credential's hash. */
export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
  label: string | null;
}

export const AUDIT_ACTOR_KINDS = ['admin-token', 'api-key', 'account', 'session-token'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export interface AuditRecord {
  actor: AuditActor;
  /** "POST /session/delete" (REST) or "trpc session.delete" (dashboard). */
  action: string;
  target?: { sessionId?: string | null; accountId?: string | null };
  ip?: string | null;
  userAgent?: string | null;
  status: number;
  requestId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clip = (value: string | null | undefined, max: number) => (value ? value.slice(0, max) : null);
const uuidOrNull = (value: string | null | undefined) => (value && UUID.test(value) ? value : null);

/**
 * Appends one entry to the audit log. Never blocks the answer: the write runs in the background
 * and a failure is logged (with the entry, so it is not lost from sight).
 */
export function recordAudit(record: AuditRecord): Promise<void> {
  const row = {
    actorKind: record.actor.kind,
    actorId: clip(record.actor.id, 100),
    actorLabel: clip(record.actor.label, 200),
    action: clip(record.action, 200) ?? '',
    targetSessionId: uuidOrNull(record.target?.sessionId),
    targetAccountId: uuidOrNull(record.target?.accountId),
    ip: clip(record.ip, 100),
    userAgent: clip(record.userAgent, 300),
    status: record.status,
    requestId: clip(record.requestId, 100),
  };
  return auditRepository.insert(row).catch((error: unknown) => {
    findRuntime()?.logger.error({ err: error, audit: row }, 'audit log write failed');
  });
}

/** The label of a credential in the log: the first 12 hex characters of its SHA-256. */
export const credentialId = (hash: string) => hash.slice(0, 12);

export interface AuditFilters {
  actorKind?: AuditActorKind;
  actorId?: string;
  action?: string;
  sessionId?: string;
  accountId?: string;
  since?: Date;
  until?: Date;
  cursor?: string;
  limit?: number;
}

export interface AuditEntryView {
  Id: string;
  At: string;
  ActorKind: string;
  ActorId: string | null;
  ActorLabel: string | null;
  Action: string;
  SessionId: string | null;
  AccountId: string | null;
  Ip: string | null;
  UserAgent: string | null;
  Status: number;
  RequestId: string | null;
}

export const AUDIT_MAX_LIMIT = 500;

const view = (r: AuditRow): AuditEntryView => ({
  Id: r.id.toString(),
  At: r.at.toISOString(),
  ActorKind: r.actorKind,
  ActorId: r.actorId,
  ActorLabel: r.actorLabel,
  Action: r.action,
  SessionId: r.targetSessionId,
  AccountId: r.targetAccountId,
  Ip: r.ip,
  UserAgent: r.userAgent,
  Status: r.status,
  RequestId: r.requestId,
});

/** Newest first; `NextCursor` (when more remain) fetches the next page. */
export async function listAudit(f: AuditFilters): Promise<{ Entries: AuditEntryView[]; NextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 100, 1), AUDIT_MAX_LIMIT);
  const rows = await auditRepository.list({
    actorKind: f.actorKind,
    actorId: f.actorId,
    action: f.action,
    sessionId: f.sessionId,
    accountId: f.accountId,
    since: f.since,
    until: f.until,
    beforeId: f.cursor ? BigInt(f.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { Entries: page.map(view), NextCursor: rows.length > limit ? page[page.length - 1]!.id.toString() : null };
}

/** Deletes audit entries older than WAGO_AUDIT_RETENTION_DAYS, hourly (0 keeps them forever). */
export function startAuditRetention(days: number, logger: Logger): RunningSweep {
  return startRetentionSweep({ days, logger, component: 'audit-retention', what: 'audit entries', deleteOlderThan: (cutoff) => auditRepository.deleteOlderThan(cutoff) });
}
