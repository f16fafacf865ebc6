import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { SessionPrincipal } from '../services/auth.service';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type AuthKind = 'none' | 'admin' | 'session';

/** What a handler learns about its caller, by auth kind. */
export type Caller<A extends AuthKind> = A extends 'session'
  ? { kind: 'session'; session: SessionPrincipal }
  : A extends 'admin'
    ? { kind: 'admin'; tenantId: string | null }
    : { kind: 'none' };

export interface HandlerContext<A extends AuthKind, I> {
  input: I;
  caller: Caller<A>;
  headers: IncomingHttpHeaders;
  requestId: string;
}

/**
 * One REST route, declared once: the router, input validation and the OpenAPI document
 * are all derived from it. Handlers stay thin: validate, call one service, shape the data.
 */
export interface RouteDefinition<A extends AuthKind = AuthKind, S extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  auth: A;
  tag: string;
  summary: string;
  description?: string;
  /** Body schema for POST/PUT, query schema for GET; field names exactly as documented. */
  input?: S;
  /**
   * True for a route WaGo adds beyond the documented contract (e.g. webhook redelivery).
   * Only such routes may be absent from the API reference.
   */
  extension?: boolean;
  /**
   * Session routes are answered by the process that runs the session (the call is forwarded
   * there). `local: true` marks routes any process can answer from the database alone.
   */
  local?: boolean;
  /**
   * An alternative to the route's auth: a request whose connection comes from an address this
   * accepts is let in without a token (e.g. a Prometheus server on an allow-list).
   */
  allowAddress?: (remoteAddress: string | undefined) => boolean;
  /**
   * Admin routes only: true when the handler scopes what it reads and changes to
   * `caller.tenantId` (a tenant's account API key). Without it, a tenant's key gets 403: the
   * route is server-wide and only the admin token (or an admin account's key) may call it.
   */
  tenantScoped?: boolean;
  /**
   * Whether each call is written to the audit log (who, what, when, from where, outcome).
   * Default: admin routes yes, others no; session routes that end, unlink or delete something
   * declare `audit: true`.
   */
  audit?: boolean;
  /** What an audited call acted on, when it is not the caller's own session (admin routes). */
  auditTarget?: (ctx: { input: z.output<S>; data: unknown }) => { sessionId?: string | null; accountId?: string | null };
  /** `false` exempts the route from the per-credential rate limit (e.g. a metrics scrape). */
  rateLimit?: boolean;
  /** Set when the handler answers `rawBody(...)`: the content type of that body (OpenAPI only). */
  rawContentType?: string;
  /** Schema of `data` in the success envelope (OpenAPI only). */
  output?: z.ZodType;
  /** Returns the `data` of the envelope, or a `rawBody(...)` sent as it is. */
  handler: (ctx: HandlerContext<A, z.output<S>>) => Promise<unknown>;
}

export type AnyRoute = RouteDefinition<AuthKind, z.ZodType>;

export function defineRoute<A extends AuthKind, S extends z.ZodType>(route: RouteDefinition<A, S>): AnyRoute {
  return route as unknown as AnyRoute;
}
