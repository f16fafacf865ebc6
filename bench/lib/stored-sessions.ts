// Reads sessions WaGo linked (credentials and keys, decrypted) so raw Baileys can use them.
import makeWASocket, { makeCacheableSignalKeyStore, type AuthenticationCreds, type SignalKeyStore, type WASocket } from 'baileys';
import type { Logger } from 'pino';
import { memoryKeyStore } from '../../emulator/client-memory-auth';
import pg from 'pg';
import { CryptoBox } from '../../server/lib/crypto-box';
import { parseEncryptionKey } from '../../server/lib/encryption-key';
import { AuthCodec } from '../../server/whatsapp/auth/codec';

export interface StoredSession {
  sessionId: string;
  creds: AuthenticationCreds;
  keys: Map<string, unknown>;
  /** `type:id` of the keys changed or deleted since loading. */
  changed: Set<string>;
}

export async function loadStoredSessions(databaseUrl: string, encryptionKey: string, limit: number): Promise<StoredSession[]> {
  const box = new CryptoBox(parseEncryptionKey(encryptionKey));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const auths = await client.query<{ session_id: string; creds: Buffer }>(
      'SELECT a.session_id, a.creds FROM session_auth a JOIN sessions s ON s.id = a.session_id ORDER BY s.name LIMIT $1',
      [limit],
    );
    const out: StoredSession[] = [];
    for (const row of auths.rows) {
      const codec = new AuthCodec(box, row.session_id);
      const keys = new Map<string, unknown>();
      const rows = await client.query<{ type: string; key_id: string; value: Buffer }>('SELECT type, key_id, value FROM session_keys WHERE session_id = $1', [row.session_id]);
      for (const k of rows.rows) keys.set(`${k.type}:${k.key_id}`, codec.openKey(k.type, k.key_id, k.value));
      out.push({ sessionId: row.session_id, creds: codec.open<AuthenticationCreds>('creds', row.creds), keys, changed: new Set() });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The minimal in-memory key store a plain Baileys app uses (noting what changed, for the write-back). */
export function memoryStore(state: StoredSession): SignalKeyStore {
  const store = memoryKeyStore(state.keys);
  return {
    get: store.get,
    set: (data) => {
      for (const [type, entries] of Object.entries(data)) for (const id of Object.keys(entries ?? {})) state.changed.add(`${type}:${id}`);
      return store.set(data);
    },
  };
}

/**
 * Writes the credentials and the changed keys back, sealed as WaGo stores them, so the next
 * WaGo run continues the Signal sessions raw Baileys moved on (otherwise it would encrypt with
 * ratchet states the contacts have left behind).
 */
export async function saveStoredSessions(databaseUrl: string, encryptionKey: string, states: StoredSession[]): Promise<void> {
  const box = new CryptoBox(parseEncryptionKey(encryptionKey));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const state of states) {
      const codec = new AuthCodec(box, state.sessionId);
      const seal = (kind: string, value: unknown) => Buffer.from(codec.seal(kind, value));
      await client.query('UPDATE session_auth SET creds = $2 WHERE session_id = $1', [state.sessionId, seal('creds', state.creds)]);
      for (const key of state.changed) {
        const at = key.indexOf(':');
        const [type, keyId] = [key.slice(0, at), key.slice(at + 1)];
        const value = state.keys.get(key);
        if (value === undefined) await client.query('DELETE FROM session_keys WHERE session_id = $1 AND type = $2 AND key_id = $3', [state.sessionId, type, keyId]);
        else
          await client.query(
            'INSERT INTO session_keys (session_id, type, key_id, value) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, type, key_id) DO UPDATE SET value = EXCLUDED.value',
            [state.sessionId, type, keyId, seal(key, value)],
          );
      }
    }
  } finally {
    await client.end();
  }
}

/** A Baileys socket for a stored session, configured like the baseline measurements. */
export function storedSocket(state: StoredSession, wsUrl: string, logger: Logger): WASocket {
  return makeWASocket({
    auth: { creds: state.creds, keys: makeCacheableSignalKeyStore(memoryStore(state), logger) },
    logger,
    waWebSocketUrl: wsUrl,
    markOnlineOnConnect: false,
    shouldSyncHistoryMessage: () => false,
  });
}
