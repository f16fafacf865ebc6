// Reads sessions WaGo linked (credentials and keys, decrypted) so raw Baileys can use them.
import makeWASocket, { BufferJSON, makeCacheableSignalKeyStore, type AuthenticationCreds, type SignalKeyStore, type WASocket } from 'baileys';
import type { Logger } from 'pino';
import { memoryKeyStore } from '../../emulator/client-memory-auth';
import pg from 'pg';
import { CryptoBox } from '../../server/lib/crypto-box';
import { parseEncryptionKey } from '../../server/lib/encryption-key';

export interface StoredSession {
  sessionId: string;
  creds: AuthenticationCreds;
  keys: Map<string, unknown>;
}

export async function loadStoredSessions(databaseUrl: string, encryptionKey: string, limit: number): Promise<StoredSession[]> {
  const box = new CryptoBox(parseEncryptionKey(encryptionKey));
  const open = <T>(sessionId: string, kind: string, sealed: Uint8Array): T =>
    JSON.parse(box.decrypt(sealed, `wa-auth:${sessionId}:${kind}`).toString('utf8'), BufferJSON.reviver) as T;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const auths = await client.query<{ session_id: string; creds: Buffer }>(
      'SELECT a.session_id, a.creds FROM session_auth a JOIN sessions s ON s.id = a.session_id ORDER BY s.name LIMIT $1',
      [limit],
    );
    const out: StoredSession[] = [];
    for (const row of auths.rows) {
      const keys = new Map<string, unknown>();
      const rows = await client.query<{ type: string; key_id: string; value: Buffer }>('SELECT type, key_id, value FROM session_keys WHERE session_id = $1', [row.session_id]);
      for (const k of rows.rows) keys.set(`${k.type}:${k.key_id}`, open(row.session_id, `${k.type}:${k.key_id}`, k.value));
      out.push({ sessionId: row.session_id, creds: open<AuthenticationCreds>(row.session_id, 'creds', row.creds), keys });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The minimal in-memory key store a plain Baileys app uses. */
export const memoryStore = (data: Map<string, unknown>): SignalKeyStore => memoryKeyStore(data);

/** A Baileys socket for a stored session, configured like the baseline measurements. */
export function storedSocket(state: StoredSession, wsUrl: string, logger: Logger): WASocket {
  return makeWASocket({
    auth: { creds: state.creds, keys: makeCacheableSignalKeyStore(memoryStore(state.keys), logger) },
    logger,
    waWebSocketUrl: wsUrl,
    markOnlineOnConnect: false,
    shouldSyncHistoryMessage: () => false,
  });
}
