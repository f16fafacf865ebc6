/**
 * Bounds what a stored Signal session record keeps of its closed sessions.
 *
 * A record holds the open session with a contact's device and the sessions it replaced, so a
 * message the device sent before it heard of the new one still decrypts. libsignal keeps up to
 * 40 of them, and Baileys replaces the session with every device it looks up again (each time
 * its device cache is cold: at every start, and every few minutes for a contact written to
 * often), so a busy contact's record grew by ~0.9 KB per look-up, up to ~36 KB — decoded,
 * encoded, encrypted and written to the database for every message sent to or received from
 * that device. A device moves to the new session as soon as it receives a message built on it,
 * which follows the look-up at once, so only the latest few replaced sessions can still be in use.
 */

/** Closed sessions kept per record (the newest ones), besides the open one. */
export const CLOSED_SESSIONS_KEPT = 3;

interface StoredSessionEntry {
  indexInfo?: { closed?: number };
}

interface StoredSessionRecord {
  _sessions: Record<string, StoredSessionEntry | undefined>;
}

const isRecord = (value: unknown): value is StoredSessionRecord =>
  typeof value === 'object' && value !== null && typeof (value as StoredSessionRecord)._sessions === 'object' && (value as StoredSessionRecord)._sessions !== null;

/**
 * Drops all but the `keep` most recently closed sessions from a serialised libsignal session
 * record (in place; the record is a fresh object from `SessionRecord.serialize()`). Open
 * sessions are never dropped. Returns how many sessions were dropped.
 */
export function trimClosedSessions(value: unknown, keep = CLOSED_SESSIONS_KEPT): number {
  if (!isRecord(value)) return 0;
  const sessions = value._sessions;
  const closed: Array<[string, number]> = [];
  for (const [key, entry] of Object.entries(sessions)) {
    const at = entry?.indexInfo?.closed;
    if (typeof at === 'number' && at !== -1) closed.push([key, at]);
  }
  if (closed.length <= keep) return 0;
  closed.sort((a, b) => b[1] - a[1]);
  const dropped = closed.slice(keep);
  for (const [key] of dropped) delete sessions[key];
  return dropped.length;
}
