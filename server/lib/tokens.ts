import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Session and admin tokens are stored only as SHA-256 hex digests. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A strong random token (192 bits, URL-safe). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
