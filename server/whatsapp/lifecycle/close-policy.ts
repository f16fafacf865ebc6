import { DisconnectReason } from 'baileys';
import { isTrustFailure } from '../trust';

/** What to do after Baileys closed a session's connection. */
export type CloseAction =
  | { kind: 'reconnect-now'; reason: string }
  | { kind: 'reconnect-backoff'; reason: string }
  | { kind: 'logged-out'; reason: string }
  | { kind: 'qr-expired'; reason: string }
  | { kind: 'stop'; reason: string };

/**
 * Decides deliberately on each close code:
 * 515 restart required (after pairing) → reconnect at once; 401 logged out → clear keys;
 * 408 while showing a QR → the QR expired, stop (no endless QR loop); 440 replaced by another
 * connection → stop; a server whose certificate does not chain to the trusted root, or a pairing
 * account whose signature does not verify → stop (retrying cannot fix it, and must not hammer an
 * impostor); everything else → reconnect with backoff.
 */
export function decideOnClose(statusCode: number | undefined, registered: boolean, message: string): CloseAction {
  if (isTrustFailure(message)) return { kind: 'stop', reason: untrustedReason(message) };
  switch (statusCode) {
    case DisconnectReason.restartRequired:
      return { kind: 'reconnect-now', reason: 'restart required' };
    case DisconnectReason.loggedOut:
      return { kind: 'logged-out', reason: 'logged out' };
    case DisconnectReason.connectionReplaced:
      return { kind: 'stop', reason: 'connection replaced by another client with the same credentials' };
    case DisconnectReason.forbidden:
      return { kind: 'logged-out', reason: 'forbidden (account banned or device removed)' };
    case DisconnectReason.timedOut:
      return registered ? { kind: 'reconnect-backoff', reason: 'connection timed out' } : { kind: 'qr-expired', reason: 'QR code expired: not scanned in time' };
    default:
      return { kind: 'reconnect-backoff', reason: message || `connection closed (${statusCode ?? 'no code'})` };
  }
}

function untrustedReason(message: string): string {
  return /account signature/i.test(message)
    ? `pairing refused: the account signature does not verify (${message})`
    : `server refused: its certificate does not chain to the trusted WhatsApp root key (${message})`;
}

/** Exponential backoff with full jitter: attempt 1 → up to 1 s, doubling, capped. */
export function backoffDelay(attempt: number, baseMs = 1000, capMs = 60_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
