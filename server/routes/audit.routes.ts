import { z } from 'zod';
import { defineRoute } from '../http/route';
import { AUDIT_ACTOR_KINDS, AUDIT_MAX_LIMIT, listAudit } from '../services/audit.service';

const entry = z
  .object({
    Id: z.string().describe('Entry id (also the cursor of the next page)'),
    At: z.string().describe('When (ISO 8601)'),
    ActorKind: z.enum(AUDIT_ACTOR_KINDS),
    ActorId: z.string().nullable().describe('Session id, account id, or the first 12 hex characters of the credential’s SHA-256'),
    ActorLabel: z.string().nullable().describe('Session name, account e-mail, or the kind of credential'),
    Action: z.string().describe('"POST /session/delete" (REST) or "trpc session.delete" (dashboard)'),
    SessionId: z.string().nullable().describe('The session acted on'),
    AccountId: z.string().nullable().describe('The dashboard account acted on'),
    Ip: z.string().nullable(),
    UserAgent: z.string().nullable(),
    Status: z.number().int().describe('HTTP status of the answer'),
    RequestId: z.string().nullable().describe('X-Request-Id of the REST call'),
  })
  .meta({ id: 'AuditEntry' });

const date = (field: string) =>
  z
    .string()
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)), `must be a date (ISO 8601)`)
    .transform((v) => new Date(v))
    .optional()
    .describe(`${field} (ISO 8601)`);

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/audit',
    auth: 'admin',
    tag: 'Server and admin',
    summary: 'Read the audit log of admin and destructive actions.',
    description:
      'WaGo extension. Newest first: who (admin token, API key, dashboard account or session token), what, on which session or account, when, from which address, and the answer’s status. Filters combine; `Cursor` (the previous answer’s `NextCursor`) reads the next page. See docs/reliability.md.',
    extension: true,
    local: true,
    input: z.object({
      ActorKind: z.enum(AUDIT_ACTOR_KINDS, { error: `must be one of ${AUDIT_ACTOR_KINDS.join(', ')}` }).optional().describe('Only this kind of actor'),
      ActorId: z.string().max(100).optional().describe('Only this actor (session id, account id or credential hash prefix)'),
      Action: z.string().max(200).optional().describe('Only actions starting with this, e.g. "POST /session/" or "trpc account."'),
      SessionId: z.uuid('must be a session id (UUID)').optional().describe('Only actions on this session'),
      AccountId: z.uuid('must be an account id (UUID)').optional().describe('Only actions on this dashboard account'),
      Since: date('Only entries at or after'),
      Until: date('Only entries before'),
      Cursor: z.string().regex(/^\d{1,18}$/, 'must be a NextCursor from a previous answer').optional().describe('NextCursor of the previous page'),
      Limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional().describe(`How many (default 100, at most ${AUDIT_MAX_LIMIT})`),
    }),
    output: z.object({ Entries: z.array(entry), NextCursor: z.string().nullable().describe('Cursor of the next page; null on the last') }),
    handler: async ({ input }) =>
      listAudit({
        actorKind: input.ActorKind,
        actorId: input.ActorId,
        action: input.Action,
        sessionId: input.SessionId,
        accountId: input.AccountId,
        since: input.Since,
        until: input.Until,
        cursor: input.Cursor,
        limit: input.Limit,
      }),
  }),
];
