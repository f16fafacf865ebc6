// Benchmark: incoming WhatsApp messages to the webhook. 50 linked sessions, one contact each,
// contacts sending 200 messages/s in all (spread evenly over the sessions); latency from the
// contact's send (the emulator's control call) to the webhook receiver getting the Message event.
// Baseline in the same run: a minimal Baileys app on the same sessions (keys in memory) POSTing
// every incoming message to the same receiver with fetch.
import { join } from 'node:path';
import { createFixture, pairSessions, json, sleep, type Fixture } from './lib/wago-fixture';
import { spawnServer, cpuMs, type ServerProcess } from './lib/processes';
import { printTable, percentile } from './lib/table';
import { BenchReceiver } from './lib/webhook-receiver';
import { PROJECT_ROOT } from '../server/app';

const SESSIONS = Number(process.env.BENCH_INCOMING_SESSIONS ?? 50);
const RATE = Number(process.env.BENCH_INCOMING_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_INCOMING_SECONDS ?? 10);
const contactOf = (i: number) => `1555300${String(i).padStart(4, '0')}`;

/** Records when each marked message reaches it. */
class Receiver extends BenchReceiver {
  readonly arrivals = new Map<number, number>();

  protected arrived(_path: string, body: string, at: number): void {
    const marker = /bench-in-(\d+)/.exec(body);
    if (marker && !this.arrivals.has(Number(marker[1]))) this.arrivals.set(Number(marker[1]), at);
  }

  /** Waits (at most `timeoutMs`) for the messages `markers` name; returns how many never came. */
  async waitFor(markers: number[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (markers.some((m) => !this.arrivals.has(m)) && Date.now() < deadline) await sleep(50);
    return markers.filter((m) => !this.arrivals.has(m)).length;
  }
}

/** Contacts send `count` marked texts starting at `first`, paced at RATE/s; returns each send's start time. */
async function sendPaced(fixture: Fixture, phones: string[], first: number, count: number, rate: number): Promise<Map<number, number>> {
  const control = `${fixture.emulator.url}/control/accounts`;
  const sentAt = new Map<number, number>();
  const inFlight = new Set<Promise<unknown>>();
  const started = Date.now();
  for (let k = 0; k < count; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const marker = first + k;
    const i = marker % phones.length;
    sentAt.set(marker, Date.now());
    // A failed control call counts as a missing message (reported), not as a failed run.
    const call = json(`${control}/${contactOf(i)}/send`, { method: 'POST', body: JSON.stringify({ to: phones[i], text: `bench-in-${marker} hello` }) })
      .catch((error: unknown) => process.stderr.write(`send ${marker} failed: ${String(error)}\n`))
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
    if (inFlight.size > 400) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return sentAt;
}

async function measure(label: string, fixture: Fixture, receiver: Receiver, phones: string[], first: number, pid: number): Promise<Array<string | number>> {
  // Warm-up: one message per session (Signal sessions, JIT), not measured.
  const warm = await sendPaced(fixture, phones, first, phones.length, RATE);
  const warmMissing = await receiver.waitFor([...warm.keys()], 60_000);
  if (warmMissing > 0) throw new Error(`${label}: ${warmMissing} warm-up messages never arrived`);
  const from = first + phones.length;
  const total = RATE * SECONDS;
  const cpuBefore = await cpuMs(pid);
  const started = Date.now();
  const sentAt = await sendPaced(fixture, phones, from, total, RATE);
  const sendSeconds = (Date.now() - started) / 1000;
  const missing = await receiver.waitFor([...sentAt.keys()], 60_000);
  const cpu = (await cpuMs(pid)) - cpuBefore;
  const latencies = [...sentAt].filter(([m]) => receiver.arrivals.has(m)).map(([m, at]) => receiver.arrivals.get(m)! - at).sort((a, b) => a - b);
  return [label, total, (total / sendSeconds).toFixed(0), percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), latencies.at(-1) ?? '—', ((cpu * 1000) / total).toFixed(0), missing];
}

export async function runIncomingBench(): Promise<void> {
  const fixture = await createFixture();
  const receiver = new Receiver();
  await receiver.start();
  let raw: ServerProcess | undefined;
  try {
    const wago = await fixture.startWago();
    const linked = await pairSessions(wago, fixture, SESSIONS);
    const phones = linked.map((l) => l.phone);
    for (let i = 0; i < SESSIONS; i++) {
      await json(`${fixture.emulator.url}/control/accounts`, { method: 'POST', body: JSON.stringify({ phone: contactOf(i), name: `Contact ${i}` }) });
      await json(`${wago.url}/webhook`, { method: 'POST', headers: { token: linked[i].token }, body: JSON.stringify({ WebhookURL: receiver.url(`/s${i}`), Events: ['Message'] }) });
    }
    const rows: Array<Array<string | number>> = [];
    rows.push(await measure(`WaGo → webhook (${SESSIONS} sessions)`, fixture, receiver, phones, 0, wago.child.pid!));
    await wago.stop();
    await sleep(500);
    raw = await spawnServer(['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'raw-receive.ts')], {
      ...process.env,
      DATABASE_URL: fixture.databaseUrl,
      WAGO_ENCRYPTION_KEY: fixture.encryptionKey,
      WA_WS_URL: fixture.emulator.wsUrl,
      WA_ROOT_KEY: fixture.emulator.rootKey,
      RECEIVER_URL: receiver.url(),
    }, { pattern: /(\{"sessions".*\})/, node: process.execPath, timeoutMs: 300_000 });
    rows.push(await measure(`baseline: raw Baileys app POSTing each message (fetch)`, fixture, receiver, phones, 1_000_000, raw.child.pid!));
    printTable(
      `Incoming messages to the webhook: ${RATE} msgs/s for ${SECONDS} s over ${SESSIONS} sessions (time from the contact's send to the receiver; target p99 < 100 ms)`,
      ['run', 'messages', 'sent/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'receiving process CPU µs/msg', 'missing'],
      rows,
    );
  } finally {
    await raw?.stop();
    await receiver.stop();
    await fixture.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIncomingBench();
