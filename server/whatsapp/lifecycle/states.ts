import type { SessionState } from '../../events/types';

/** Which state changes the session lifecycle allows. Anything else is a bug and is refused. */
const ALLOWED: Record<SessionState, readonly SessionState[]> = {
  disconnected: ['connecting'],
  connecting: ['qr', 'pairing', 'connected', 'disconnected', 'logged_out', 'failed', 'connecting'],
  qr: ['connecting', 'pairing', 'connected', 'disconnected', 'logged_out', 'failed'],
  pairing: ['connecting', 'connected', 'disconnected', 'logged_out', 'failed', 'qr'],
  connected: ['connecting', 'disconnected', 'logged_out', 'failed'],
  logged_out: ['connecting'],
  failed: ['connecting'],
};

export function canTransition(from: SessionState, to: SessionState): boolean {
  return from === to || ALLOWED[from].includes(to);
}
