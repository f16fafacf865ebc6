// Benchmark: sending texts through WaGo's POST /send/text next to raw Baileys sending the same
// texts from the same sessions, in one run: messages/s, p50/p99 of the call and of the delivery
// receipt, and the longest event-loop stall of the sending process.
import { join } from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { spawnServer, type ServerProcess } from './lib/processes';
import { benchNodeLine } from './lib/node-binary';
import { LeanConnection } from './lib/lean-http';
import { startCpuSplit } from './lib/machine-cpu';
import { toggleProfile } from './lib/profile-window';
import { deliveredRate, median, printTable, ratioRow, sendRow, splitRow, SEND_HEADER, SPLIT_HEADER, type SendResult } from './lib/table';
import { ADMIN, createFixture, json, pairSessions, sleep, type Fixture } from './lib/wago-fixture';
import { PROJECT_ROOT } from '../server/app';

const TO = '15550002001';
const WARMUP = Number(process.env.BENCH_SEND_WARMUP ?? 600);
// BENCH_SEND_SESSIONS=1 (or 20) runs only that plan.
const ONLY = process.env.BENCH_SEND_SESSIONS?.split(',').map(Number);
const PLANS = [
  { sessions: 1, perSession: Number(process.env.BENCH_SEND_ONE ?? 2000), inFlight: 50 },
  { sessions: 20, perSession: Number(process.env.BENCH_SEND_EACH ?? 200), inFlight: 10 },
].filter((plan) => !ONLY || ONLY.includes(plan.sessions));

interface Receipt {
  type: string;
  data: { messageIds?: string[]; type?: string };
}

async function viaWago(wago: ServerProcess, emulatorPid: number, tokens: string[], perSession: number, inFlight: number, profiled = false): Promise<SendResult> {
  const sentAt = new Map<string, number>();
  const receipts = new Map<string, number>();
  let lastReceiptAt = 0;
  const mark = (id: string | undefined) => {
    if (!id || receipts.has(id)) return;
    const t0 = sentAt.get(id);
    if (t0 !== undefined) {
      receipts.set(id, Date.now() - t0);
      lastReceiptAt = Date.now();
    }
  };
  const sockets: Socket[] = await Promise.all(
    tokens.map(
      (token) =>
        new Promise<Socket>((resolve, reject) => {
          // Receipts only, as a client tracking deliveries would ask: receipts Baileys folds into
          // the sent message are ReadReceipt events too.
          const s = connectSocket(wago.url, { path: '/socket.io', auth: { token, events: ['ReadReceipt'] }, transports: ['websocket'], reconnection: false });
          s.on('event', (e: Receipt) => {
            if (e.type === 'ReadReceipt' && e.data.type !== undefined && e.data.type !== 'sent') e.data.messageIds?.forEach(mark);
          });
          s.on('ready', () => resolve(s));
          s.on('connect_error', reject);
        }),
    ),
  );
  // A keep-alive connection per lane, opened before the measured window.
  const lanes = await Promise.all(tokens.map(() => Promise.all(Array.from({ length: inFlight }, () => LeanConnection.open(wago.url)))));
  await json(`${wago.url}/server/stats?Reset=true`, { headers: { admintoken: ADMIN } });
  const endSplit = await startCpuSplit(wago.child.pid!, emulatorPid, false);
  if (profiled) {
    wago.child.kill('SIGUSR2');
    process.kill(emulatorPid, 'SIGUSR2');
    await toggleProfile('load-generator');
  }
  const callMs: number[] = [];
  const started = Date.now();
  await Promise.all(
    tokens.map(async (token, s) => {
      let next = 0;
      const lane = async (http: LeanConnection) => {
        while (next < perSession) {
          const i = next++;
          const id = `WAGO${s}X${i}X${Date.now()}`;
          const t0 = Date.now();
          sentAt.set(id, t0);
          const answer = await http.request('POST', '/send/text', { token, 'content-type': 'application/json' }, JSON.stringify({ Phone: TO, Body: `wago ${s}/${i}`, Id: id }));
          if (answer.status !== 200) throw new Error(`POST /send/text: ${answer.status} ${answer.body.toString()}\nWaGo's last output:\n${wago.output().slice(-4000)}`);
          callMs.push(Date.now() - t0);
        }
      };
      await Promise.all(lanes[s].map(lane));
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  if (profiled) {
    wago.child.kill('SIGUSR2');
    process.kill(emulatorPid, 'SIGUSR2');
    await toggleProfile('load-generator');
  }
  const deadline = Date.now() + 15_000;
  while (receipts.size < sentAt.size && Date.now() < deadline) await sleep(100);
  const split = await endSplit(sentAt.size);
  const stats = await json<{ eventLoop: { maxMs: number; p99Ms: number } }>(`${wago.url}/server/stats`, { headers: { admintoken: ADMIN } });
  sockets.forEach((s) => s.close());
  lanes.flat().forEach((http) => http.close());
  const deliveredSeconds = receipts.size === sentAt.size ? (lastReceiptAt - started) / 1000 : NaN;
  return { messages: sentAt.size, seconds, callMs, receiptMs: [...receipts.values()], maxLoopStallMs: stats.eventLoop.maxMs, p99LoopDelayMs: stats.eventLoop.p99Ms, split, deliveredSeconds };
}

async function viaRawBaileys(fixture: Fixture, sessions: number, perSession: number, inFlight: number, yieldEachSend: boolean): Promise<SendResult> {
  const raw = await spawnServer(['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'raw-send.ts')], {
    ...process.env,
    DATABASE_URL: fixture.databaseUrl,
    WAGO_ENCRYPTION_KEY: fixture.encryptionKey,
    WA_WS_URL: fixture.emulator.wsUrl,
    WA_ROOT_KEY: fixture.emulator.rootKey,
    SESSIONS: String(sessions),
    PER_SESSION: String(perSession),
    IN_FLIGHT: String(inFlight),
    WARMUP: String(Math.ceil(WARMUP / sessions)),
    TO,
    EMULATOR_PID: String(fixture.emulator.process.child.pid),
    YIELD: yieldEachSend ? '1' : '0',
    // It prints its result when its round is over: on a busy machine that is minutes.
  }, { pattern: /(\{"messages".*\})/, timeoutMs: 900_000 });
  const result = JSON.parse(raw.url) as SendResult;
  await raw.stop();
  return result;
}

/** Rounds per plan, WaGo and raw Baileys taking turns: the machine's speed drifts, so one pair says little. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_SEND_ROUNDS ?? 5));
// BENCH_SEND_RAW=0: WaGo's rounds only (to compare two builds of WaGo quickly; no ratios).
const WITH_RAW = process.env.BENCH_SEND_RAW !== '0';

export async function runSendBench(): Promise<void> {
  process.stdout.write(benchNodeLine());
  const fixture = await createFixture();
  try {
    const maxSessions = Math.max(...PLANS.map((p) => p.sessions));
    let wago = await fixture.startWago();
    const linked = await pairSessions(wago, fixture, maxSessions);
    const rows: Array<Array<string | number>> = [];
    const splits: Array<Array<string | number>> = [];
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : 'n/a');
    for (const plan of PLANS) {
      const tokens = linked.slice(0, plan.sessions).map((l) => l.token);
      const ratios: Array<{ calls: number; delivered: number; yieldingCalls: number; yieldingDelivered: number }> = [];
      const emulatorPid = fixture.emulator.process.child.pid!;
      for (let round = 1; round <= ROUNDS; round++) {
        // Warm-up (JIT, query plans, device lists): the same amount for WaGo and for raw Baileys.
        await viaWago(wago, emulatorPid, tokens, Math.ceil(WARMUP / plan.sessions), plan.inFlight);
        const gateway = await viaWago(wago, emulatorPid, tokens, plan.perSession, plan.inFlight, Boolean(process.env.BENCH_PROFILE));
        if (process.env.BENCH_SHOW_OUTPUT) process.stdout.write(`WaGo printed:\n${wago.output()}\n`);
        const label = ROUNDS > 1 ? ` (round ${round})` : '';
        rows.push(sendRow(`WaGo, ${plan.sessions} session(s) × ${plan.inFlight} in flight${label}`, gateway));
        splits.push(splitRow(`WaGo, ${plan.sessions} session(s)${label}`, gateway));
        if (!WITH_RAW) continue;
        await wago.stop(); // the same credentials can't be connected twice
        const raw = await viaRawBaileys(fixture, plan.sessions, plan.perSession, plan.inFlight, false);
        const yielding = await viaRawBaileys(fixture, plan.sessions, plan.perSession, plan.inFlight, true);
        const rate = (r: SendResult) => r.messages / r.seconds;
        const ratio = {
          calls: rate(gateway) / rate(raw),
          delivered: deliveredRate(gateway) / deliveredRate(raw),
          yieldingCalls: rate(gateway) / rate(yielding),
          yieldingDelivered: deliveredRate(gateway) / deliveredRate(yielding),
        };
        ratios.push(ratio);
        rows.push(sendRow(`raw Baileys, same${label}`, raw));
        rows.push(sendRow(`raw Baileys letting its loop turn after each send${label}`, yielding));
        rows.push(ratioRow(`→ WaGo / raw Baileys${label}`, pct(ratio.calls), pct(ratio.delivered)));
        rows.push(ratioRow(`→ WaGo / raw Baileys letting its loop turn${label}`, pct(ratio.yieldingCalls), pct(ratio.yieldingDelivered)));
        splits.push(
          splitRow(`raw Baileys, ${plan.sessions} session(s)${label}`, raw),
          splitRow(`raw Baileys letting its loop turn, ${plan.sessions} session(s)${label}`, yielding),
        );
        wago = await fixture.startWago();
        await sleep(3000);
      }
      if (ROUNDS > 1 && WITH_RAW) {
        const medianOf = (key: keyof (typeof ratios)[number]) => pct(median(ratios.map((r) => r[key]).filter(Number.isFinite)));
        rows.push(ratioRow(`**→ ${plan.sessions} session(s): median of ${ROUNDS} rounds (target ≥ 80%)**`, medianOf('calls'), medianOf('delivered')));
        rows.push(ratioRow(`**→ ${plan.sessions} session(s), against raw Baileys letting its loop turn: median**`, medianOf('yieldingCalls'), medianOf('yieldingDelivered')));
      }
    }
    await wago.stop();
    printTable('POST /send/text vs Baileys sendMessage, texts to one emulated contact', SEND_HEADER, rows);
    printTable("Where the machine's two cores went, per message (ms of CPU; write system calls as a count)", SPLIT_HEADER, splits);
  } finally {
    await fixture.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSendBench();
