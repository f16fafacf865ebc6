// Raw Baileys logging in sessions that WaGo linked: reads their credentials and keys from
// WaGo's database (decrypting them), keeps them in memory as a minimal Baileys app would, and
// connects them. Prints JSON: { sessions, loginMs, rssBeforeMb, rssAfterMb }.
import makeWASocket, { BufferJSON, initAuthCreds, makeCacheableSignalKeyStore, type AuthenticationCreds, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from 'baileys';
import pg from 'pg';
import pino from 'pino';
import { CryptoBox } from '../../server/lib/crypto-box';
import { parseEncryptionKey } from '../../server/lib/encryption-key';
import { trustServerRoot } from '../../server/whatsapp/trust';

const { DATABASE_URL, WAGO_ENCRYPTION_KEY, WA_WS_URL, WA_ROOT_KEY, CONCURRENCY = '4', LIMIT = '100000' } = process.env;
trustServerRoot(WA_ROOT_KEY!);
const box = new CryptoBox(parseEncryptionKey(WAGO_ENCRYPTION_KEY!));
const open = <T>(sessionId: string, kind: string, sealed: Uint8Array): T =>
  JSON.parse(box.decrypt(sealed, `wa-auth:${sessionId}:${kind}`).toString('utf8'), BufferJSON.reviver) as T;

function memoryStore(initial: Map<string, unknown>): SignalKeyStore {
  return {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const v = initial.get(`${type}:${id}`);
        if (v !== undefined) out[id] = v as SignalDataTypeMap[T];
      }
      return out;
    },
    set(data: SignalDataSet) {
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value === null || value === undefined) initial.delete(`${type}:${id}`);
          else initial.set(`${type}:${id}`, value);
        }
      }
    },
  };
}

const rss = () => process.memoryUsage().rss / 1024 / 1024;
global.gc?.();
const rssBefore = rss(); // Baileys imported, no session yet
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
const auths = await client.query<{ session_id: string; creds: Buffer }>('SELECT session_id, creds FROM session_auth ORDER BY session_id LIMIT $1', [Number(LIMIT)]);
const states: Array<{ creds: AuthenticationCreds; keys: Map<string, unknown> }> = [];
for (const row of auths.rows) {
  const creds = open<AuthenticationCreds>(row.session_id, 'creds', row.creds) ?? initAuthCreds();
  const keys = await client.query<{ type: string; key_id: string; value: Buffer }>('SELECT type, key_id, value FROM session_keys WHERE session_id = $1', [row.session_id]);
  const map = new Map<string, unknown>();
  for (const k of keys.rows) map.set(`${k.type}:${k.key_id}`, open(row.session_id, `${k.type}:${k.key_id}`, k.value));
  states.push({ creds, keys: map });
}
await client.end();
const logger = pino({ level: 'silent' });
const started = Date.now();
let next = 0;
const sockets: Array<ReturnType<typeof makeWASocket>> = [];
async function worker() {
  while (next < states.length) {
    const state = states[next++];
    const sock = makeWASocket({
      auth: { creds: state.creds, keys: makeCacheableSignalKeyStore(memoryStore(state.keys), logger) },
      logger,
      waWebSocketUrl: WA_WS_URL,
      markOnlineOnConnect: false,
      shouldSyncHistoryMessage: () => false,
    });
    sockets.push(sock);
    await new Promise<void>((resolve, reject) => {
      sock.ev.on('connection.update', (u) => {
        if (u.connection === 'open') resolve();
        if (u.connection === 'close') reject(new Error('closed'));
      });
    });
  }
}
await Promise.all(Array.from({ length: Number(CONCURRENCY) }, worker));
const loginMs = Date.now() - started;
await new Promise((r) => setTimeout(r, 8000));
global.gc?.();
await new Promise((r) => setTimeout(r, 1000));
process.stdout.write(`${JSON.stringify({ sessions: states.length, loginMs, rssBeforeMb: rssBefore, rssAfterMb: rss() })}\n`);
for (const s of sockets) s.end(undefined);
process.exit(0);
