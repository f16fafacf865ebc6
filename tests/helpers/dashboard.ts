/** Signs in to the dashboard over HTTP (next-auth's CSRF + credentials flow) and calls tRPC as that account. */

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'admin-password-0123';

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

/** The Cookie header of a signed-in browser, or null when next-auth refused the credentials. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; '), origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = cookiesOf(res).find((c) => c.startsWith('next-auth.session-token='));
  return session ? [...jar, session].join('; ') : null;
}

export interface TrpcAnswer<T> {
  status: number;
  data?: T;
  error?: { message: string; code: string; httpStatus: number };
}

/** One tRPC call (no batching) with the given cookies; `origin` defaults to the server's own. */
export async function trpc<T = unknown>(
  baseUrl: string,
  cookie: string | null,
  path: string,
  input?: unknown,
  opts: { mutation?: boolean; origin?: string } = {},
): Promise<TrpcAnswer<T>> {
  const headers: Record<string, string> = { origin: opts.origin ?? baseUrl };
  if (cookie) headers.cookie = cookie;
  const url = new URL(`/api/trpc/${path}`, baseUrl);
  let res: Response;
  if (opts.mutation) {
    headers['content-type'] = 'application/json';
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(input ?? null) });
  } else {
    if (input !== undefined) url.searchParams.set('input', JSON.stringify(input));
    res = await fetch(url, { headers });
  }
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string; data: { code: string; httpStatus: number } } };
  if (body.error) return { status: res.status, error: { message: body.error.message, code: body.error.data.code, httpStatus: body.error.data.httpStatus } };
  return { status: res.status, data: body.result!.data };
}
