// Raw Baileys sending from sessions WaGo linked: `sendMessage` straight from the app, keys in
// memory (YIELD=1: letting the event loop turn after each send). Prints one JSON SendResult line.
import { proto, type WASocket } from 'baileys';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { trustServerRoot } from '../../server/whatsapp/trust';
import { loadStoredSessions, saveStoredSessions, storedSocket } from './stored-sessions';
import { toggleProfile } from './profile-window';
import { startCpuSplit } from './machine-cpu';

const { DATABASE_URL, WAGO_ENCRYPTION_KEY, WA_WS_URL, WA_ROOT_KEY, SESSIONS = '1', PER_SESSION = '1000', IN_FLIGHT = '50', WARMUP = '600', TO = '15550002001' } = process.env;
trustServerRoot(WA_ROOT_KEY!);
process.setSourceMapsEnabled(false); // as WaGo runs, and as plain `node` runs Baileys
const logger = pino({ level: 'silent' });
// YIELD=1: the app lets its event loop turn after each send, as an app that must stay responsive
// does (Baileys' sendMessage never yields with keys in memory), so receipts come in during the burst.
const YIELD = process.env.YIELD === '1';
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const states = await loadStoredSessions(DATABASE_URL!, WAGO_ENCRYPTION_KEY!, Number(SESSIONS));
const sockets: WASocket[] = [];
const sentAt = new Map<string, number>();
const receipts = new Map<string, number>();
let lastReceiptAt = 0;
const DELIVERED = proto.WebMessageInfo.Status.DELIVERY_ACK;
const onStatus = (id: string | null | undefined, status: number | null | undefined) => {
  if (!id || status === null || status === undefined || status < DELIVERED || receipts.has(id)) return;
  const t0 = sentAt.get(id);
  if (t0 !== undefined) {
    receipts.set(id, Date.now() - t0);
    lastReceiptAt = Date.now();
  }
};
for (const state of states) {
  const sock = storedSocket(state, WA_WS_URL!, logger);
  sock.ev.on('messages.update', (updates) => updates.forEach((u) => onStatus(u.key.id, u.update.status)));
  sock.ev.on('messages.upsert', ({ messages }) => messages.forEach((m) => m.key.fromMe && onStatus(m.key.id, m.status)));
  await new Promise<void>((resolve, reject) => {
    sock.ev.on('connection.update', (u) => {
      if (u.receivedPendingNotifications) resolve();
      if (u.connection === 'close') reject(new Error('closed'));
    });
  });
  sockets.push(sock);
}
const to = `${TO}@s.whatsapp.net`;
// Warm-up (JIT, device lists): the same amount as WaGo gets.
await Promise.all(
  sockets.map(async (sock) => {
    let n = 0;
    await Promise.all(Array.from({ length: Number(IN_FLIGHT) }, async () => {
      while (n < Number(WARMUP)) {
        n++;
        await sock.sendMessage(to, { text: `warm-up ${n}` });
        if (YIELD) await turn();
      }
    }));
  }),
);
await new Promise((r) => setTimeout(r, 1500));
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
// The monitor's first tick only sets its baseline: let it pass, or a stall that starts at once goes unseen.
await new Promise((r) => setTimeout(r, 50));
const callMs: number[] = [];
const perSession = Number(PER_SESSION);
const endSplit = await startCpuSplit(process.pid, Number(process.env.EMULATOR_PID), true);
await toggleProfile('raw-baileys');
const started = Date.now();
await Promise.all(
  sockets.map(async (sock, s) => {
    let next = 0;
    const lane = async () => {
      while (next < perSession) {
        const i = next++;
        const t0 = Date.now();
        const id = `RAW${s}X${i}X${t0}`;
        sentAt.set(id, t0);
        await sock.sendMessage(to, { text: `raw ${s}/${i}` }, { messageId: id });
        callMs.push(Date.now() - t0);
        if (YIELD) await turn();
      }
    };
    await Promise.all(Array.from({ length: Number(IN_FLIGHT) }, lane));
  }),
);
const seconds = (Date.now() - started) / 1000;
await toggleProfile('raw-baileys');
const deadline = Date.now() + 15_000;
while (receipts.size < sentAt.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
loop.disable();
const split = await endSplit(sentAt.size);
const deliveredSeconds = receipts.size === sentAt.size ? (lastReceiptAt - started) / 1000 : NaN;
for (const s of sockets) s.end(undefined);
// Outside the measured window: the Signal sessions moved on, and WaGo's next round continues them.
await saveStoredSessions(DATABASE_URL!, WAGO_ENCRYPTION_KEY!, states);
process.stdout.write(`${JSON.stringify({ messages: sentAt.size, seconds, callMs, receiptMs: [...receipts.values()], maxLoopStallMs: loop.max / 1e6, p99LoopDelayMs: loop.percentile(99) / 1e6, split, deliveredSeconds })}\n`);
process.exit(0);
