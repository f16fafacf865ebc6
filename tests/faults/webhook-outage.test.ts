import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEmulatedWago, linkedSession, waitFor, ALICE, OWNER_PHONE, type EmulatedWago } from '../helpers/emulated-wago';
import { WebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver';

// Fault: the webhook receiver is slow (longer than WAGO_WEBHOOK_TIMEOUT_MS), then answers 500, then
// is down, then comes back — while WhatsApp messages keep arriving. Everything must be stored and
// delivered afterwards, in order, every event under one id (a repeat carries X-WaGo-Attempt > 1).
const PER_PHASE = 6;
const TIMEOUT_MS = 400;
let env: EmulatedWago;
let token: string;
const receiver = new WebhookReceiver();

before(async () => {
  env = await startEmulatedWago({ WAGO_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
  token = await linkedSession(env, 'webhook-outage');
  await receiver.start();
});
after(async () => {
  await receiver.stop();
  await env?.stop();
});

async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: env.db.url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function storedIds(ids: string[]): Promise<Set<string>> {
  const rows = await query<{ message_id: string }>('SELECT "message_id" FROM "messages" WHERE "message_id" = ANY($1::text[])', [ids]);
  return new Set(rows.map((r) => r.message_id));
}

/** The session's delivery order: each event id's place in the outbox (its seq). */
async function outboxOrder(eventIds: string[]): Promise<Map<string, number>> {
  const rows = await query<{ event_id: string; seq: string }>('SELECT "event_id", "seq" FROM "webhook_events" WHERE "event_id" = ANY($1::uuid[])', [eventIds]);
  return new Map(rows.map((r) => [r.event_id, Number(r.seq)]));
}

/** The message id a delivery carries (one of `ids`), if any. */
function messageOf(r: ReceivedRequest, ids: string[]): string | undefined {
  return ids.find((id) => r.raw.includes(id));
}

test('webhook receiver slow, then 500, then down, then back: every message stored and delivered, in order, once per event id', async (t) => {
  const hook = await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/hook'), Events: ['Message'] } });
  assert.equal(hook.status, 200);
  let phase: 'slow' | 'failing' | 'healthy' = 'slow';
  receiver.respond('/hook', async () => {
    if (phase === 'slow') {
      await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2)); // WaGo gives up first; the receiver still takes it
      return 200;
    }
    return phase === 'failing' ? 500 : 200;
  });
  const sent: string[] = [];
  const burst = async (label: string) => {
    for (let i = 0; i < PER_PHASE; i++) sent.push((await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: `${label} ${i}` })).id);
  };

  await burst('slow');
  await receiver.waitFor('two slow answers', () => receiver.forPath('/hook').length >= 2, 20_000);
  phase = 'failing';
  await burst('failing');
  await receiver.waitFor('two 500 answers', () => receiver.forPath('/hook').filter((r) => r.status === 500).length >= 2, 20_000);
  await receiver.stop();
  const downAt = receiver.requests.length;
  await burst('down');
  // Down long enough for several refused attempts (1 s, 2 s, 4 s backoff).
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal(receiver.requests.length, downAt, 'nothing reached the receiver while it was down');
  phase = 'healthy';
  await receiver.start();
  await burst('back');

  const stored = await waitFor('every message stored', async () => {
    const s = await storedIds(sent);
    return s.size === sent.length ? s : undefined;
  });
  await receiver.waitFor('every message delivered', () => new Set(receiver.accepted('/hook').map((r) => messageOf(r, sent))).size === sent.length, 90_000);

  const requests = receiver.forPath('/hook');
  const delivered = new Set(receiver.accepted('/hook').map((r) => messageOf(r, sent)).filter(Boolean));
  // One event id per message, and a message's every request carries that id.
  const idOf = new Map<string, string>();
  for (const r of requests) {
    const m = messageOf(r, sent)!;
    assert.ok(m, 'only the session\'s messages were delivered');
    if (!idOf.has(m)) idOf.set(m, r.eventId);
    assert.equal(r.eventId, idOf.get(m), 'a repeat keeps the event id');
  }
  // Repeats are marked: after a message's first request, every further one says it is a retry.
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of requests) {
    if (seen.has(r.eventId)) {
      assert.ok(Number(r.headers['x-wago-attempt']) > 1, 'a repeated event carries X-WaGo-Attempt > 1');
      if (r.status < 300) duplicates += 1;
    }
    seen.add(r.eventId);
  }
  // In order per session: no event was sent to the receiver before the earlier ones were done.
  const seqOf = await outboxOrder([...idOf.values()]);
  const order = requests.map((r) => seqOf.get(r.eventId)!);
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'deliveries follow the session\'s event order');
  // How often the WhatsApp client handed a message over later than one the contact sent after it
  // (WaGo's event order is the order the client emits; see docs/reliability.md).
  const bySeq = [...idOf.entries()].sort((a, b) => seqOf.get(a[1])! - seqOf.get(b[1])!).map(([m]) => sent.indexOf(m));
  const reordered = bySeq.filter((v, i) => i > 0 && v < bySeq[i - 1]).length;
  const lost = sent.filter((id) => !stored.has(id) || !delivered.has(id)).length;
  assert.equal(lost, 0);
  t.diagnostic(`figures: sent ${sent.length}, received ${sent.length}, stored ${stored.size}, delivered ${delivered.size} (${requests.length} requests, ${duplicates} duplicate deliveries marked as retries, ${reordered} handed over by the client out of the contact's order), lost ${lost}`);
});
