// Benchmark: webhook deliveries per second. WaGo runs in its own process (as `npm start` does) on a
// fresh database; this process runs the receiving HTTP server. Two ways in:
// - backlog: 5,000 events across 10 sessions written straight into the outbox (as after a receiver
//   outage), drained by the delivery worker: pure delivery throughput;
// - end to end: events published through `POST /webhook/test` by 50 concurrent callers (REST call,
//   outbox write, delivery), latency from the event's creation to its arrival.
// Every run checks that each event arrives once and, per session, in outbox order.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { findPostgres, createDatabase } from '../scripts/lib/postgres.mjs';
import { spawnServer, cpuMs, type ServerProcess } from './lib/processes';
import { printTable, percentile } from './lib/table';
import { BenchReceiver } from './lib/webhook-receiver';
import { ADMIN, spawnWago } from './lib/wago-fixture';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/app';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5_000);
const E2E_EVENTS = Number(process.env.BENCH_WEBHOOK_E2E_EVENTS ?? 2_000);
const SESSIONS = Number(process.env.BENCH_WEBHOOK_SESSIONS ?? 10);
const PUBLISHERS = 50;

interface Arrival {
  eventId: string;
  at: number;
  createdAt: number;
}

/** The receiver: records each event's arrival per session path. */
class Receiver extends BenchReceiver {
  readonly arrivals = new Map<string, Arrival[]>();

  protected arrived(path: string, body: string, at: number): void {
    const event = JSON.parse(body) as { id: string; timestamp: string };
    const list = this.arrivals.get(path) ?? [];
    list.push({ eventId: event.id, at, createdAt: Date.parse(event.timestamp) });
    this.arrivals.set(path, list);
  }

  override reset(): void {
    this.arrivals.clear();
    super.reset();
  }
}

async function api<T>(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data: T; error?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error ?? ''}`);
  return json.data;
}

interface Session {
  id: string;
  token: string;
}

interface Check {
  missing: number;
  duplicates: number;
  outOfOrder: number;
  latencies: number[];
}

/** Compares arrivals with each session's outbox order (`expected`, oldest first). */
function check(receiver: Receiver, expected: Map<number, string[]>): Check {
  const result: Check = { missing: 0, duplicates: 0, outOfOrder: 0, latencies: [] };
  for (const [i, ids] of expected) {
    const arrived = receiver.arrivals.get(`/s${i}`) ?? [];
    const seen = new Set(arrived.map((a) => a.eventId));
    result.duplicates += arrived.length - seen.size;
    result.missing += ids.filter((id) => !seen.has(id)).length;
    const position = new Map(arrived.map((a, k) => [a.eventId, k]));
    const positions = ids.map((id) => position.get(id) ?? -1);
    for (let k = 1; k < positions.length; k++) if (!(positions[k] > positions[k - 1])) result.outOfOrder++;
    for (const a of arrived) result.latencies.push(a.at - a.createdAt);
  }
  result.latencies.sort((a, b) => a - b);
  return result;
}

/** Backlog: rows written straight into the outbox in one INSERT, then drained by the worker. */
async function backlog(wago: ServerProcess, databaseUrl: string, receiver: Receiver, sessions: Session[], delayMs: number, count = EVENTS): Promise<Array<string | number>> {
  receiver.reset();
  receiver.delayMs = delayMs;
  const expected = new Map<number, string[]>(sessions.map((_, i) => [i, []]));
  const rows: Array<{ eventId: string; sessionId: string; payload: string }> = [];
  for (let n = 0; n < count; n++) {
    const i = n % sessions.length;
    const eventId = randomUUID();
    expected.get(i)!.push(eventId);
    const event = { id: eventId, type: 'Test', sessionId: sessions[i].id, timestamp: new Date().toISOString(), data: { message: `bench ${n}` } };
    rows.push({ eventId, sessionId: sessions[i].id, payload: JSON.stringify(event) });
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const cpuBefore = await cpuMs(wago.child.pid!);
  try {
    await client.query(
      `INSERT INTO webhook_events (event_id, session_id, type, payload)
       SELECT e, s, 'Test', p::jsonb FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(e, s, p)`,
      [rows.map((r) => r.eventId), rows.map((r) => r.sessionId), rows.map((r) => r.payload)],
    );
  } finally {
    await client.end();
  }
  await receiver.waitForTotal(count, 120_000);
  const cpu = (await cpuMs(wago.child.pid!)) - cpuBefore;
  const times = [...receiver.arrivals.values()].flat().map((a) => a.at);
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  const c = check(receiver, expected);
  return [`backlog, receiver ${delayMs ? `takes ${delayMs} ms` : 'answers at once'}`, count, '—', seconds.toFixed(2), Math.round(count / seconds), '—', '—', ((cpu * 1000) / count).toFixed(0), `${c.missing}/${c.duplicates}/${c.outOfOrder}`];
}

/** Baseline: a bare Node process POSTing the same number of events, one lane per session, no database. */
async function bare(receiver: Receiver): Promise<Array<string | number>> {
  receiver.reset();
  receiver.delayMs = 0;
  const child = await spawnServer(['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'lib', 'bare-webhook-sender.ts')], {
    ...process.env,
    RECEIVER_PORT: String(receiver.port),
    EVENTS: String(EVENTS),
    SESSIONS: String(SESSIONS),
  }, { pattern: /(\{"ms".*\})/, node: process.execPath, timeoutMs: 120_000 });
  await child.stop();
  const times = [...receiver.arrivals.values()].flat().map((a) => a.at);
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return [`baseline: bare node:http sender, ${SESSIONS} lanes in order, no database`, receiver.total, '—', seconds.toFixed(2), Math.round(receiver.total / seconds), '—', '—', '—', '—'];
}

/** End to end: POST /webhook/test by concurrent callers; each event is stored, then delivered. */
async function endToEnd(wago: ServerProcess, receiver: Receiver, sessions: Session[]): Promise<Array<string | number>> {
  receiver.reset();
  receiver.delayMs = 0;
  const cpuBefore = await cpuMs(wago.child.pid!);
  const started = Date.now();
  let next = 0;
  const publisher = async () => {
    while (next < E2E_EVENTS) {
      const n = next++;
      await api<{ EventId: string }>(wago.url, 'POST', '/webhook/test', { token: sessions[n % sessions.length].token });
    }
  };
  await Promise.all(Array.from({ length: PUBLISHERS }, publisher));
  const publishSeconds = (Date.now() - started) / 1000;
  await receiver.waitForTotal(E2E_EVENTS, 120_000);
  const seconds = (Date.now() - started) / 1000;
  const cpu = (await cpuMs(wago.child.pid!)) - cpuBefore;
  // Callers of one session run concurrently, so the order to check is the outbox's (by seq).
  const expected = new Map<number, string[]>();
  for (const [i, s] of sessions.entries()) {
    const listed = await api<Array<{ EventId: string }>>(wago.url, 'GET', '/webhook/events?Limit=200', { token: s.token });
    expected.set(i, listed.map((d) => d.EventId).reverse());
  }
  const c = check(receiver, expected);
  const arrivedTotal = [...receiver.arrivals.values()].reduce((n, a) => n + a.length, 0);
  c.missing += E2E_EVENTS - Math.min(E2E_EVENTS, arrivedTotal);
  return [
    `end to end (POST /webhook/test × ${PUBLISHERS} callers)`,
    E2E_EVENTS,
    publishSeconds.toFixed(2),
    seconds.toFixed(2),
    Math.round(E2E_EVENTS / seconds),
    percentile(c.latencies, 50),
    percentile(c.latencies, 99),
    ((cpu * 1000) / E2E_EVENTS).toFixed(0),
    `${c.missing}/${c.duplicates}/${c.outOfOrder} (last 200 per session)`,
  ];
}

export async function runWebhooksBench(): Promise<void> {
  const pgServer = await findPostgres();
  const db = await createDatabase(pgServer.url, 'wago_bench');
  const receiver = new Receiver();
  await receiver.start();
  const wago = await spawnWago(db.url, { WAGO_WEBHOOK_RETENTION_DAYS: '7', WAGO_RATE_LIMIT_SESSION: '0' });
  try {
    const sessions: Session[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const { token, session } = await api<{ token: string; session: { id: string } }>(wago.url, 'POST', '/session/init', { admintoken: ADMIN }, { Name: `bench-${i}` });
      await api(wago.url, 'POST', '/webhook', { token }, { WebhookURL: receiver.url(`/s${i}`) });
      sessions.push({ id: session.id, token });
    }
    // Warm-up (JIT, connections, query plans), not reported.
    await backlog(wago, db.url, receiver, sessions, 0, Math.min(1000, EVENTS));
    const rows = [
      await bare(receiver),
      await backlog(wago, db.url, receiver, sessions, 0),
      await backlog(wago, db.url, receiver, sessions, 5),
      await endToEnd(wago, receiver, sessions),
    ];
    printTable(
      `Webhook deliveries over ${SESSIONS} sessions to a local receiver (WAGO_WEBHOOK_CONCURRENCY default 16; WaGo in its own process)`,
      ['run', 'events', 'publish s', 'delivery s', 'deliveries/s', 'p50 ms', 'p99 ms', 'WaGo CPU µs/event', 'missing/dup/out-of-order'],
      rows,
    );
  } finally {
    await wago.stop();
    await receiver.stop();
    await db.drop();
    await pgServer.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runWebhooksBench();
