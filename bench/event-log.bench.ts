// Benchmark: what the event log costs the process that receives messages. In one WaGo process
// (in-process, on a fresh database), Message events shaped like received texts are published on
// the event bus in bursts, with the event log off (WAGO_EVENT_LOG_DAYS=0) and on, taking turns:
// the process's CPU per event until all are stored (publishing, the message store, the event log's
// batches) and how long until every event is stored.
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { findPostgres, createDatabase } from '../scripts/lib/postgres.mjs';
import { loadConfig } from '../server/config';
import { startWago } from '../server/app';
import { median, printTable } from './lib/table';

const EVENTS = Number(process.env.BENCH_EVENT_LOG_EVENTS ?? 5000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_EVENT_LOG_ROUNDS ?? 3));
const BURST = 50;

async function run(days: number): Promise<{ cpuMsPerEvent: number; storedAfterMs: number }> {
  const pg = await findPostgres();
  const db = await createDatabase(pg.url);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, WAGO_ADMIN_TOKEN: 'bench-admin-token-0123456789', WAGO_DISABLE_NEXT: '1', LOG_LEVEL: 'silent', WAGO_EVENT_LOG_DAYS: String(days) });
  const wago = await startWago({ config, logger: pino({ level: 'silent' }) });
  try {
    const session = await wago.runtime.prisma.session.create({ data: { name: 'bench', tokenHash: randomUUID(), tokenPrefix: 'bench' } });
    const chat = { jid: '15550002001@s.whatsapp.net', lid: '99990002001@lid' };
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < EVENTS; i += BURST) {
      const burst = [];
      for (let j = i; j < Math.min(i + BURST, EVENTS); j++) {
        burst.push(
          wago.runtime.events.publish(session.id, 'Message', {
            id: `BENCH${j}`, chat, from: chat, fromMe: false, isGroup: false, timestamp: Math.floor(Date.now() / 1000), pushName: 'Alice',
            type: 'conversation', text: `message number ${j}`, media: null, upsertType: 'notify', status: null, message: { conversation: `message number ${j}` },
          }),
        );
      }
      await Promise.all(burst);
      await new Promise((r) => setImmediate(r));
    }
    // Until every message is stored (and logged): the same two queries whether the log is on or off.
    for (;;) {
      const stored = await wago.runtime.prisma.message.count({ where: { sessionId: session.id } });
      const logged = await wago.runtime.prisma.sessionEvent.count({ where: { sessionId: session.id } });
      if (stored >= EVENTS && (days === 0 || logged >= EVENTS)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpu = process.cpuUsage(cpu0);
    return { cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / EVENTS, storedAfterMs: Date.now() - started };
  } finally {
    await wago.stop();
    await db.drop();
  }
}

const off: Array<{ cpuMsPerEvent: number; storedAfterMs: number }> = [];
const on: Array<{ cpuMsPerEvent: number; storedAfterMs: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  off.push(await run(0));
  on.push(await run(7));
}
const row = (label: string, runs: typeof off) => [
  label,
  runs.map((r) => r.cpuMsPerEvent.toFixed(3)).join(' / '),
  median(runs.map((r) => r.cpuMsPerEvent)).toFixed(3),
  runs.map((r) => r.storedAfterMs).join(' / '),
];
printTable(`${EVENTS} received-text Message events in bursts of ${BURST}, ${ROUNDS} rounds taking turns`, ['event log', 'CPU ms/event (rounds)', 'median', 'all stored after ms (rounds)'], [row('off', off), row('on', on)]);
process.exit(0);
