import { decode } from 'next-auth/jwt';
import type { Actor } from './actor';
import { findActor } from '../services/account.service';
import { getRuntime } from '../runtime/registry';

/** next-auth's session cookie, plain on http and `__Secure-` on https. */
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/** Parses a Cookie header into name → value. */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw); // not percent-encoded: the raw value is the value
    }
  }
  return cookies;
}

/** The session cookie's value, joined from its chunks (`.0`, `.1`…) when it was split. */
function sessionCookie(cookies: Map<string, string>): string | undefined {
  for (const name of SESSION_COOKIES) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return chunks.join('');
  }
  return undefined;
}

/**
 * The dashboard account signed in with this Cookie header, or null. The cookie is checked
 * (signature, encryption, expiry) and the account read again, so a deleted account, a changed
 * role or a new password takes effect at once. Used alike by tRPC, server pages and socket.io.
 */
export async function actorFromCookieHeader(header: string | null | undefined): Promise<Actor | null> {
  const token = sessionCookie(parseCookieHeader(header));
  if (!token) return null;
  const runtime = getRuntime();
  let accountId: unknown;
  let issuedAt: unknown;
  try {
    const jwt = await decode({ token, secret: runtime.authSecret });
    accountId = jwt?.sub;
    issuedAt = jwt?.iat;
  } catch (error) {
    runtime.logger.debug({ err: error }, 'dashboard session cookie refused (expired, tampered or from another secret)');
    return null;
  }
  if (typeof accountId !== 'string' || typeof issuedAt !== 'number') return null;
  return findActor(accountId, issuedAt);
}
