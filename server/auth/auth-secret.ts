import { hkdfSync } from 'node:crypto';

/**
 * The secret that signs and encrypts dashboard sign-in cookies. Without WAGO_AUTH_SECRET it is
 * derived from the encryption key, so every WaGo process sharing the database (and key) accepts
 * the same cookies, and nothing more needs storing.
 */
export function deriveAuthSecret(encryptionKey: Buffer, configured: string | undefined): string {
  if (configured) return configured;
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'wago dashboard sign-in cookies', 32)).toString('base64url');
}
