import { z } from 'zod';
import { adminProcedure, router } from '../init';
import { AUDIT_ACTOR_KINDS, AUDIT_MAX_LIMIT, listAudit } from '../../services/audit.service';

/** The audit log (admins): the same reading as GET /admin/audit. */
export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        actorKind: z.enum(AUDIT_ACTOR_KINDS).optional(),
        action: z.string().max(200).optional(),
        targetSessionId: z.uuid('must be a session id (UUID)').optional(),
        cursor: z.string().regex(/^\d{1,18}$/, 'must be a cursor from a previous page').optional(),
        limit: z.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
      }),
    )
    .query(({ input: { targetSessionId, ...rest } }) => listAudit({ ...rest, sessionId: targetSessionId })),
});
