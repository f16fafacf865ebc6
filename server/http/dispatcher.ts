import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { ApiError, NotConnectedError, forbidden, upstreamError } from './errors';
import { explainNotConnected } from '../services/session-availability.service';
import { errorBody, successBody } from './envelope';
import { readJsonBody } from './body';
import { nulCharacterError, validationError } from './validation';
import type { AnyRoute } from './route';
import { Router } from './router';
import { authenticateAdmin, authenticateSession } from '../services/auth.service';
import { forwardRequest, FORWARDED_HEADER } from './forward';
import { findRuntime, getRuntime } from '../runtime/registry';
import { isRawBody } from './raw-body';
import { isTransientDbError } from '../db/transient';
import type { TurnBudget } from '../lib/turn-budget';
import type { RateLimiter } from '../lib/rate-limit';
import { hashToken } from '../lib/tokens';
import { FORWARD_PROOF_HEADER, verifyForward } from './forward-proof';
import { clientAddress } from './client-address';
import { credentialId, recordAudit, type AuditActor } from '../services/audit.service';

/** The answer was produced by another process (forwarded). */
const FORWARDED = Symbol('forwarded');

const REQUEST_ID = /^[\w.:-]{1,100}$/;
/** What a 503 for an unreachable database asks clients to wait before trying again. */
const DB_RETRY_AFTER_SECONDS = 2;

/** A database that cannot be reached (not a WhatsApp connection error, whose texts look alike). */
function isDatabaseUnreachable(error: unknown): boolean {
  const boom = typeof error === 'object' && error !== null && (error as { isBoom?: unknown }).isBoom === true;
  return !boom && isTransientDbError(error);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function send(res: ServerResponse, status: number, body: string, requestId: string, retryAfterSeconds?: number): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
    ...(retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {}),
  });
  res.end(body);
}

function queryObject(url: string): Record<string, string> {
  const q = url.indexOf('?');
  if (q < 0) return {};
  return Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
}

export interface DispatcherOptions {
  routes: readonly AnyRoute[];
  logger: Logger;
  maxBodyBytes: number;
  /** When set, a request's handling starts within the process's turn budget (see turn-budget.ts). */
  budget?: Pick<TurnBudget, 'admit'>;
  /** Per-credential request limits (429 with Retry-After); none when unset. */
  limiter?: RateLimiter;
  /** Take the client's address from X-Forwarded-For (WAGO_TRUST_PROXY) for the audit log. */
  trustProxy?: boolean;
}

/**
 * The REST front door, run by the custom server before Next: matches a declared route,
 * authenticates, validates input with the route's zod schema, calls its handler and
 * writes the one response shape. Returns false when the path is not the REST API's.
 */
export function createDispatcher({ routes, logger, maxBodyBytes, budget, limiter, trustProxy = false }: DispatcherOptions) {
  const router = new Router(routes);
  const log = logger.child({ component: 'http' });

  /** What the log lines of a failed request name besides its id. */
  interface LogContext {
    sessionId?: string;
    /** Set once an audited call is authenticated (and not refused by the rate limit). */
    audit?: { actor: AuditActor; sessionId?: string | null; accountId?: string | null };
  }

  /** Counts the call against its credential's limit; throws 429 with Retry-After when over it. */
  async function limit(tier: 'session' | 'admin', hash: string): Promise<void> {
    if (!limiter) return;
    const decision = await limiter.take(tier, hash);
    if (decision.allowed) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new ApiError(429, `too many requests with this ${tier === 'admin' ? 'admintoken' : 'token'} (limit ${limiter.describe(tier)}); retry in ${seconds} s`, seconds);
  }

  async function run(route: AnyRoute, req: IncomingMessage, res: ServerResponse, requestId: string, logContext: LogContext): Promise<unknown> {
    // During a burst, a turn of the loop that read many requests starts only as many handlers as
    // fit in its slice; the others start in the next turns, in arrival order.
    const admitted = budget?.admit();
    if (admitted) await admitted;
    const adminToken = headerValue(req, 'admintoken');
    const sessionToken = headerValue(req, 'token');
    // A call another WaGo process forwarded was counted and audited there; the header alone
    // proves nothing (anyone can send it), its signature does.
    const forwardedBy = headerValue(req, FORWARDED_HEADER);
    const trustedForward =
      forwardedBy !== undefined && verifyForward(getRuntime().authSecret, forwardedBy, `${req.method} ${req.url ?? '/'}`, headerValue(req, FORWARD_PROOF_HEADER));
    const audited = !trustedForward && (route.audit ?? route.auth === 'admin');
    const limited = !trustedForward && route.rateLimit !== false;
    let caller: { kind: 'none' } | { kind: 'admin'; tenantId: string | null } | { kind: 'session'; session: Awaited<ReturnType<typeof authenticateSession>> };
    if (route.auth === 'admin') {
      let actor: AuditActor = { kind: 'admin-token', id: null, label: 'allowed address' };
      let tenantId: string | null = null;
      if (!route.allowAddress?.(req.socket.remoteAddress)) {
        const admin = await authenticateAdmin(adminToken, sessionToken);
        const hash = hashToken(adminToken as string);
        if (limited) await limit('admin', hash);
        actor = admin.keyId
          ? { kind: 'api-key', id: admin.keyId, label: admin.accountId ? `API key of account ${admin.accountId}` : 'API key' }
          : { kind: 'admin-token', id: credentialId(hash), label: 'admin token' };
        tenantId = admin.tenantId;
      }
      if (audited) logContext.audit = { actor };
      if (tenantId !== null && !route.tenantScoped) {
        throw forbidden(`${route.method} ${route.path} is server-wide: it needs the admin token; an account API key reaches only its own sessions`);
      }
      caller = { kind: 'admin', tenantId };
    } else if (route.auth === 'session') {
      const session = await authenticateSession(sessionToken);
      logContext.sessionId = session.id;
      if (limited) await limit('session', hashToken(sessionToken as string));
      if (audited) logContext.audit = { actor: { kind: 'session-token', id: session.id, label: session.name }, sessionId: session.id };
      caller = { kind: 'session', session };
      if (!route.local && !trustedForward) {
        const runtime = getRuntime();
        const owner = await runtime.sessions.remoteOwner(session.id);
        if (owner) {
          try {
            await forwardRequest(req, res, owner, runtime.instanceId, runtime.authSecret);
            return FORWARDED;
          } catch (error) {
            // The owner is unreachable (dead, until its lease expires): a read is answered here;
            // anything else (its body is gone) gets 503 with the time left on the owner's lease.
            if (!(error instanceof ApiError) || res.headersSent) throw error;
            if (route.method !== 'GET') throw await explainNotConnected(session.id, error);
          }
        }
      }
    } else {
      caller = { kind: 'none' };
    }
    let input: unknown = undefined;
    if (route.input) {
      const raw = route.method === 'GET' ? queryObject(req.url ?? '') : await readJsonBody(req, maxBodyBytes);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new ApiError(400, 'body must be a JSON object');
      }
      const parsed = route.input.safeParse(raw, { reportInput: true });
      if (!parsed.success) throw validationError(parsed.error, 'body');
      const nul = nulCharacterError(parsed.data);
      if (nul) throw nul;
      input = parsed.data;
    } else if (route.method !== 'GET') {
      req.resume();
    }
    try {
      const data = await route.handler({ input, caller: caller as never, headers: req.headers, requestId });
      if (logContext.audit && route.auditTarget) Object.assign(logContext.audit, route.auditTarget({ input, data }));
      return data;
    } catch (error) {
      if (error instanceof NotConnectedError && caller.kind === 'session') throw await explainNotConnected(caller.session.id, error);
      throw error;
    }
  }

  return {
    router,
    /** Handles the request if it belongs to the REST API; returns false otherwise. */
    handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
      const { route, allowed } = router.match(req.method ?? 'GET', pathname);
      const section = pathname.split('/')[1];
      if (!route && !allowed && !router.sections.has(section)) return false;
      const incoming = headerValue(req, 'x-request-id');
      const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      if (!route) {
        if (allowed) {
          res.setHeader('allow', allowed.join(', '));
          send(res, 405, errorBody(405, `method ${req.method} is not allowed on ${pathname}; use ${allowed.join(' or ')}`), requestId);
        } else {
          send(res, 404, errorBody(404, `no route ${req.method} ${pathname}`), requestId);
        }
        return true;
      }
      const timer = findRuntime()?.metrics?.httpSeconds.startTimer({ method: route.method, route: route.path });
      if (timer) res.once('finish', () => timer({ status: String(res.statusCode) }));
      const logContext: LogContext = {};
      res.once('close', () => {
        const audit = logContext.audit;
        if (!audit) return;
        void recordAudit({
          actor: audit.actor,
          action: `${route.method} ${route.path}`,
          target: { sessionId: audit.sessionId, accountId: audit.accountId },
          ip: clientAddress(req, trustProxy),
          userAgent: headerValue(req, 'user-agent'),
          status: res.statusCode,
          requestId,
        });
      });
      run(route, req, res, requestId, logContext).then(
        (data) => {
          if (data === FORWARDED) return;
          if (isRawBody(data)) {
            res.writeHead(200, { 'content-type': data.contentType, 'content-length': Buffer.byteLength(data.body), 'x-request-id': requestId, 'cache-control': 'no-store' });
            res.end(data.body);
          } else {
            send(res, 200, successBody(data ?? null), requestId);
          }
        },
        (error: unknown) => {
          const where = `${route.method} ${route.path}`;
          const upstream = error instanceof ApiError ? undefined : upstreamError(error);
          if (res.headersSent) {
            log.error({ reqId: requestId, ...logContext, err: error }, 'forwarded request failed mid-answer');
            res.destroy();
          } else if (error instanceof ApiError) {
            log.info({ reqId: requestId, ...logContext, route: where, status: error.status, err: error.message }, 'request refused');
            send(res, error.status, errorBody(error.status, error.message), requestId, error.retryAfterSeconds);
          } else if (upstream) {
            log.warn({ reqId: requestId, ...logContext, route: where, status: upstream.status, err: error }, 'WhatsApp failed the request');
            send(res, upstream.status, errorBody(upstream.status, upstream.message), requestId);
          } else if (isDatabaseUnreachable(error)) {
            log.warn({ reqId: requestId, ...logContext, route: where, err: error }, 'request failed: the database cannot be reached');
            send(res, 503, errorBody(503, 'the database is unavailable; try again shortly'), requestId, DB_RETRY_AFTER_SECONDS);
          } else {
            log.error({ reqId: requestId, ...logContext, route: where, err: error }, 'request failed');
            send(res, 500, errorBody(500, `internal error (request id ${requestId})`), requestId);
          }
          if (!req.complete) req.resume();
        },
      );
      return true;
    },
    /** JSON 404 for paths no one serves. */
    notFound(req: IncomingMessage, res: ServerResponse, pathname: string): void {
      send(res, 404, errorBody(404, `no route ${req.method} ${pathname}`), randomUUID());
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
