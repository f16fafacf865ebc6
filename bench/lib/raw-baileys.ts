// Raw Baileys logging in sessions that WaGo linked, from their stored credentials, as a minimal
// Baileys app would (keys in memory). Prints JSON: { sessions, loginMs, loginCpuMs, rssBeforeMb, rssAfterMb }.
import type { WASocket } from 'baileys';
import pino from 'pino';
import { trustServerRoot } from '../../server/whatsapp/trust';
import { loadStoredSessions, storedSocket } from './stored-sessions';

const { DATABASE_URL, WAGO_ENCRYPTION_KEY, WA_WS_URL, WA_ROOT_KEY, CONCURRENCY = '4', LIMIT = '100000' } = process.env;
trustServerRoot(WA_ROOT_KEY!);
process.setSourceMapsEnabled(false); // as WaGo runs, and as plain `node` runs Baileys
const rss = () => process.memoryUsage().rss / 1024 / 1024;
global.gc?.();
const rssBefore = rss(); // Baileys imported, no session yet
const states = await loadStoredSessions(DATABASE_URL!, WAGO_ENCRYPTION_KEY!, Number(LIMIT));
const logger = pino({ level: 'silent' });
const started = Date.now();
const cpuAtStart = process.cpuUsage();
let next = 0;
const sockets: WASocket[] = [];
async function worker() {
  while (next < states.length) {
    const state = states[next++];
    const sock = storedSocket(state, WA_WS_URL!, logger);
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
const cpu = process.cpuUsage(cpuAtStart);
const loginCpuMs = (cpu.user + cpu.system) / 1000;
await new Promise((r) => setTimeout(r, 8000));
global.gc?.();
await new Promise((r) => setTimeout(r, 1000));
process.stdout.write(`${JSON.stringify({ sessions: states.length, loginMs, loginCpuMs, rssBeforeMb: rssBefore, rssAfterMb: rss() })}\n`);
for (const s of sockets) s.end(undefined);
process.exit(0);
