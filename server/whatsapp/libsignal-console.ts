import type { Logger } from '../logger';
import { currentStorageOwners } from './async-context/storages';

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

/**
 * Routes libsignal's console lines to `logger` (component libsignal); returns the undo.
 *
 * A line names the session (`sessionId`) whose Baileys key transaction libsignal's work runs in,
 * when exactly one is current (the owner of its storage, see async-context/storages.ts). libsignal
 * runs the jobs of one contact address one after the other, process-wide, each in the async
 * context of the call that found that queue idle: a job queued behind another's sees that call's
 * transaction until it ends (a few promise turns after that job), then none. Such a line has no
 * sessionId, or, when another session's job for the same address came just before, that session's.
 */
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
        const level = LEVELS[method];
        if (!log.isLevelEnabled(level)) return;
        const text = args.filter((a): a is string => typeof a === 'string').join(' ').replace(/:\s*$/, '');
        const owners = currentStorageOwners();
        if (owners.length === 1) log[level]({ sessionId: owners[0] }, text);
        else log[level](text);
        return;
      }
      original(...args);
    };
  }
  return () => {
    for (const [method, fn] of originals) console[method] = fn;
  };
}
