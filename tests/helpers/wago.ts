import pino from 'pino';
import { loadConfig } from '../../server/config';
import { startWago, type Wago } from '../../server/app';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: { code: number; success: boolean; data?: T; error?: string };
  headers: Headers;
}

export interface TestWago extends Wago {
  call<T = unknown>(method: string, path: string, opts?: { token?: string; admin?: string | boolean; body?: unknown; raw?: string }): Promise<ApiAnswer<T>>;
}

/** Starts WaGo in-process on a random port against the given database. */
export async function startTestWago(opts: { databaseUrl: string; next?: boolean; adminToken?: string | null; env?: Record<string, string>; logger?: pino.Logger }): Promise<TestWago> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: opts.databaseUrl,
    WAGO_ADMIN_TOKEN: opts.adminToken === null ? undefined : (opts.adminToken ?? ADMIN_TOKEN),
    WAGO_DISABLE_NEXT: opts.next ? '0' : '1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    // Suites send far faster than a gateway client (hundreds of calls a second on one token); the
    // rate-limit tests set their own limits.
    WAGO_RATE_LIMIT_SESSION: '0',
    WAGO_RATE_LIMIT_ADMIN: '0',
    WAGO_RATE_LIMIT_DASHBOARD: '0',
    ...opts.env,
  });
  const wago = await startWago({ config, logger: opts.logger ?? pino({ level: process.env.WAGO_TEST_LOG ?? 'silent' }) });
  const call: TestWago['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.token) headers.token = o.token;
    if (o.admin) headers.admintoken = o.admin === true ? (opts.adminToken ?? ADMIN_TOKEN) : o.admin;
    const res = await fetch(`${wago.url}${path}`, {
      method,
      headers,
      body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
    });
    const text = await res.text();
    let body: ApiAnswer['body'];
    try {
      body = JSON.parse(text) as ApiAnswer['body'];
    } catch {
      throw new Error(`non-JSON answer ${res.status} for ${method} ${path}: ${text.slice(0, 200)}`);
    }
    return { status: res.status, body: body as ApiAnswer<never>['body'], headers: res.headers };
  };
  return Object.assign(wago, { call });
}
