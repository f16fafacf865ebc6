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
import type { TurnBudget } from '../lib/turn-budget';

/** The answer was produced by another process (forwarded). */
const FORWARDED = Symbol('forwarded');

const REQUEST_ID = /^[\w.:-]{1,100}$/;

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
}

/**
 * The REST front door, run by the custom server before Next: matches a declared route,
 * authenticates, validates input with the route's zod schema, calls its handler and
 * writes the one response shape. Returns false when the path is not the REST API's.
 */
export function createDispatcher({ routes, logger, maxBodyBytes, budget }: DispatcherOptions) {
  const router = new Router(routes);
  const log = logger.child({ component: 'http' });

  /** What the log lines of a failed request name besides its id. */
  interface LogContext {
    sessionId?: string;
  }

  async function run(route: AnyRoute, req: IncomingMessage, res: ServerResponse, requestId: string, logContext: LogContext): Promise<unknown> {
    // During a burst, a turn of the loop that read many requests starts only as many handlers as
    // fit in its slice; the others start in the next turns, in arrival order.
    const admitted = budget?.admit();
    if (admitted) await admitted;
    const adminToken = headerValue(req, 'admintoken');
    const sessionToken = headerValue(req, 'token');
    let caller: { kind: 'none' } | { kind: 'admin'; tenantId: string | null } | { kind: 'session'; session: Awaited<ReturnType<typeof authenticateSession>> };
    if (route.auth === 'admin') {
      const admin = route.allowAddress?.(req.socket.remoteAddress) ? { tenantId: null } : await authenticateAdmin(adminToken, sessionToken);
      if (admin.tenantId !== null && !route.tenantScoped) {
        throw forbidden(`${route.method} ${route.path} is server-wide: it needs the admin token; an account API key reaches only its own sessions`);
      }
      caller = { kind: 'admin', tenantId: admin.tenantId };
    } else if (route.auth === 'session') {
      const session = await authenticateSession(sessionToken);
      logContext.sessionId = session.id;
      caller = { kind: 'session', session };
      if (!route.local && !req.headers[FORWARDED_HEADER]) {
        const runtime = getRuntime();
        const owner = await runtime.sessions.remoteOwner(session.id);
        if (owner) {
          try {
            await forwardRequest(req, res, owner, runtime.instanceId);
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
      return await route.handler({ input, caller: caller as never, headers: req.headers, requestId });
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
