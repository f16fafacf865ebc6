import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { getRuntime, type Runtime } from '../runtime/registry';
import type { Actor } from '../auth/actor';
import { actorFromCookieHeader } from '../auth/dashboard-session';
import { isSameOrigin } from '../auth/same-origin';
import { ApiError } from '../http/errors';
import { nulCharacterError } from '../http/validation';
import { requireSessionAccess } from '../services/access.service';
import { FORWARDED_HEADER } from '../http/forward';
import { forwarder, type ForwardCall } from './forward';
import { FORWARD_PROOF_HEADER, verifyForward } from '../http/forward-proof';
import { recordAudit } from '../services/audit.service';
import { limitDashboardCall } from './rate-limit';

/** Per-request tRPC context: live objects come from the runtime registry, never module state. */
export interface TrpcContext {
  runtime: Runtime;
  /** The signed-in dashboard account, or null. */
  actor: Actor | null;
  /** Whether the request may change things (same origin, or not from a browser). */
  sameOrigin: boolean;
  /** The request's Cookie header (repeated when a call is forwarded to the session's owner). */
  cookie: string | null;
  /** Set when another WaGo process forwarded this call here (it is then never forwarded again nor audited twice). */
  forwardedBy: string | null;
  /** Where the call came from, for the audit log. */
  client?: { ip: string | null; userAgent: string | null };
}

export async function createTrpcContext({ req }: { req: Request }): Promise<TrpcContext> {
  const runtime = getRuntime();
  const cookie = req.headers.get('cookie');
  // The forwarded-by header counts only with a valid signature from another WaGo process.
  const claimed = req.headers.get(FORWARDED_HEADER);
  const target = `trpc ${new URL(req.url).pathname.replace(/^\/api\/trpc\//, '')}`;
  const forwardedBy = claimed && verifyForward(runtime.authSecret, claimed, target, req.headers.get(FORWARD_PROOF_HEADER) ?? undefined) ? claimed : null;
  return {
    runtime,
    actor: await actorFromCookieHeader(cookie),
    sameOrigin: isSameOrigin(req.headers.get('origin'), req.headers.get('x-forwarded-host') ?? req.headers.get('host'), req.headers.get('sec-fetch-site')),
    cookie,
    forwardedBy,
    // Set by the custom server from the connection (or a trusted proxy): see setForwardedHeaders.
    client: { ip: req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null, userAgent: req.headers.get('user-agent') },
  };
}

const CODES: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The REST API's one error line: "Field: what is wrong". */
function zodMessage(error: ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input';
}

const t = initTRPC.context<TrpcContext>().create({
  // Errors carry the same shape as the REST API's: HTTP status and one message naming the field.
  errorFormatter({ shape, error }) {
    const message = error.cause instanceof ZodError ? zodMessage(error.cause) : shape.message;
    return { ...shape, message, data: { ...shape.data, error: message, stack: undefined } };
  },
});

/** Refuses input holding a NUL character (PostgreSQL cannot store or compare it), naming the field. */
const nulFree = t.middleware(async ({ next, getRawInput }) => {
  const refused = nulCharacterError(await getRawInput(), []);
  if (refused) throw new TRPCError({ code: 'BAD_REQUEST', message: refused.message });
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(nulFree);

/** Turns a service's ApiError into the matching tRPC error; anything else is logged as a 500. */
const serviceErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ApiError) {
      throw new TRPCError({ code: CODES[cause.status] ?? 'INTERNAL_SERVER_ERROR', message: cause.message, cause });
    }
    if (result.error.code === 'INTERNAL_SERVER_ERROR') ctx.runtime.logger.error({ err: cause ?? result.error, path }, 'dashboard call failed');
  }
  return result;
});

/** The HTTP status a procedure's outcome stands for (a service's ApiError keeps its own). */
function outcomeStatus(error: TRPCError | undefined): number {
  if (!error) return 200;
  return error.cause instanceof ApiError ? error.cause.status : getHTTPStatusCodeFromError(error);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every dashboard mutation of a signed-in account goes to the audit log with its outcome (the
 * process that received it writes it; a forwarded repeat does not). The target is the input's
 * `sessionId`, and for account procedures the input's account `id`; never the input itself.
 */
const audited = t.middleware(async ({ ctx, next, type, path, getRawInput }) => {
  if (type !== 'mutation' || ctx.forwardedBy || !ctx.actor) return next();
  const result = await next();
  const raw = (await getRawInput().catch(() => undefined)) as { sessionId?: unknown; id?: unknown } | undefined;
  const field = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : null);
  void recordAudit({
    actor: { kind: 'account', id: ctx.actor.id, label: ctx.actor.email },
    action: `trpc ${path}`,
    target: { sessionId: field(raw?.sessionId), accountId: path.startsWith('account.') ? field(raw?.id) : null },
    ip: ctx.client?.ip,
    userAgent: ctx.client?.userAgent,
    status: outcomeStatus(result.ok ? undefined : result.error),
  });
  return result;
});

/** A signed-in account, within its call limit; mutations only from our own pages (CSRF). */
export const authedProcedure = t.procedure
  .use(serviceErrors)
  .use(nulFree)
  .use(({ ctx, next, type }) => {
    if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    if (type === 'mutation' && !ctx.sameOrigin) throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-site request refused' });
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  })
  // Per account (not per address); a call another process forwarded was counted there.
  .use(async ({ ctx, next }) => {
    if (!ctx.forwardedBy) await limitDashboardCall(ctx.runtime, ctx.actor.id);
    return next();
  })
  .use(audited);

/** An admin account. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'only an admin may do this' });
  return next();
});

/**
 * A procedure on one session (input `sessionId`) the actor may reach: checked by the access
 * service. When another WaGo process runs the session, `ctx.forward` repeats the call there
 * (see `onOwner`); reads of stored data need not use it.
 */
export const sessionProcedure = authedProcedure.use(async ({ ctx, next, getRawInput, type }) => {
  const raw = (await getRawInput()) as { sessionId?: unknown } | undefined;
  const session = await requireSessionAccess(ctx.actor, typeof raw?.sessionId === 'string' ? raw.sessionId : '');
  const ownerUrl = ctx.forwardedBy ? null : await ctx.runtime.sessions.remoteOwner(session.id);
  const forward: ForwardCall | null = ownerUrl ? forwarder({ ownerUrl, type, input: raw, cookie: ctx.cookie, selfId: ctx.runtime.instanceId, secret: ctx.runtime.authSecret }) : null;
  return next({ ctx: { ...ctx, session, forward } });
});

/** Runs `local` here, or the same call in the process that runs the session. */
export function onOwner<T>(opts: { ctx: { forward: ForwardCall | null }; path: string }, local: () => Promise<T>): Promise<T> {
  return opts.ctx.forward ? opts.ctx.forward<T>(opts.path) : local();
}
