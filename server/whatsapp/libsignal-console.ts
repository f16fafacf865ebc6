import type { Logger } from '../logger';

/**
 * libsignal (Baileys' Signal implementation) reports on the console, and some of its lines
 * print whole session records — private ratchet keys included ("Closing session: SessionEntry
 * {… privKey …}"). Its lines are recognised by their text and go to the log instead, as the
 * text alone: no key material ever reaches stdout or the log. Other console output is untouched.
 */
const LIBSIGNAL_LINES =
  /^(Closing session|Opening session|Removing old closed session|Session already (closed|open)|Migrating session to|Closing open session in favor|Closing stale open session|Decrypted message with closed session|Failed to decrypt message with any known session|Session error:|V1 session storage migration error|WARNING: Expected pubkey|Unhandled bucket type)/;

type Method = 'log' | 'info' | 'warn' | 'error';
const LEVELS: Record<Method, 'debug' | 'warn' | 'error'> = { log: 'debug', info: 'debug', warn: 'warn', error: 'error' };

/** Routes libsignal's console lines to `logger` (component libsignal); returns the undo. */
export function captureLibsignalConsole(logger: Logger): () => void {
  const log = logger.child({ component: 'libsignal' });
  const originals = new Map<Method, (...args: unknown[]) => void>();
  for (const method of Object.keys(LEVELS) as Method[]) {
    const original = console[method].bind(console);
    originals.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      const [first] = args;
      if (typeof first === 'string' && LIBSIGNAL_LINES.test(first)) {
        // Keep the words (and error texts), never the session objects.
        const text = args.filter((a): a is string => typeof a === 'string').join(' ');
        log[LEVELS[method]](text.replace(/:\s*$/, ''));
        return;
      }
      original(...args);
    };
  }
  return () => {
    for (const [method, fn] of originals) console[method] = fn;
  };
}
