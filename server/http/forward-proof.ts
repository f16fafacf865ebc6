import { createHmac } from 'node:crypto';
import { digestsEqual } from '../lib/tokens';

/** Header that proves a forwarded call comes from another WaGo process (they share the sign-in secret). */
export const FORWARD_PROOF_HEADER = 'x-wago-forward-proof';

const MAX_AGE_MS = 5 * 60_000;

function mac(secret: string, at: string, selfId: string, target: string): string {
  return createHmac('sha256', secret).update(`wago-forward\n${at}\n${selfId}\n${target}`).digest('hex');
}

/** `<ms>.<hmac>` over the forwarder's id and the forwarded method and path. */
export function signForward(secret: string, selfId: string, target: string, now = Date.now()): string {
  const at = String(now);
  return `${at}.${mac(secret, at, selfId, target)}`;
}

/**
 * Whether a call marked as forwarded really comes from a WaGo process: anyone can send the
 * forwarded-by header, so a call without a valid proof is treated as a client's own (counted
 * against its rate limit, audited, forwarded when needed).
 */
export function verifyForward(secret: string, selfId: string | undefined, target: string, proof: string | undefined, now = Date.now()): boolean {
  if (!selfId || !proof) return false;
  const dot = proof.indexOf('.');
  if (dot <= 0) return false;
  const at = proof.slice(0, dot);
  const age = now - Number(at);
  if (!Number.isFinite(age) || age < -MAX_AGE_MS || age > MAX_AGE_MS) return false;
  return digestsEqual(proof.slice(dot + 1), mac(secret, at, selfId, target));
}
