// The baseline of the incoming benchmark: a minimal Baileys app on the sessions WaGo linked (keys
// in memory) that POSTs every incoming message to a webhook receiver with fetch. Prints one JSON
// line once every socket is open.
import type { WASocket } from 'baileys';
import pino from 'pino';
import { trustServerRoot } from '../../server/whatsapp/trust';
import { loadStoredSessions, storedSocket } from './stored-sessions';

const { DATABASE_URL, WAGO_ENCRYPTION_KEY, WA_WS_URL, WA_ROOT_KEY, RECEIVER_URL } = process.env;
trustServerRoot(WA_ROOT_KEY!);
process.setSourceMapsEnabled(false);
const states = await loadStoredSessions(DATABASE_URL!, WAGO_ENCRYPTION_KEY!, 100_000);
const logger = pino({ level: 'silent' });
const sockets: WASocket[] = [];
let next = 0;
async function worker() {
  while (next < states.length) {
    const i = next++;
    const sock = storedSocket(states[i], WA_WS_URL!, logger);
    sockets.push(sock);
    sock.ev.on('messages.upsert', ({ messages, type }) => {
      if (type !== 'notify') return;
      for (const m of messages) {
        if (m.key.fromMe) continue;
        fetch(`${RECEIVER_URL}/raw${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) }).then(
          (r) => r.arrayBuffer(),
          (error: unknown) => process.stderr.write(`post failed: ${String(error)}\n`),
        );
      }
    });
    await new Promise<void>((resolve, reject) => {
      sock.ev.on('connection.update', (u) => {
        if (u.connection === 'open') resolve();
        if (u.connection === 'close') reject(new Error('closed'));
      });
    });
  }
}
await Promise.all(Array.from({ length: 4 }, worker));
process.stdout.write(`${JSON.stringify({ sessions: sockets.length })}\n`);
process.on('SIGTERM', () => {
  for (const s of sockets) s.end(undefined);
  process.exit(0);
});
