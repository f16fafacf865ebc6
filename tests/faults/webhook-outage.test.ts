import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, linkedSession, ALICE, OWNER_PHONE, type EmulatedWago } from '../helpers/emulated-wago';
import { WebhookReceiver } from '../helpers/webhook-receiver';
import { queryRows } from '../helpers/db';
import { awaitStored } from '../helpers/fault-wago';
import { attemptOf, awaitDelivered } from '../helpers/fault-deliveries';

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

/** The session's delivery order: each event id's place in the outbox (its seq). */
async function outboxOrder(eventIds: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ event_id: string; seq: string }>(env.db.url, 'SELECT "event_id", "seq" FROM "webhook_events" WHERE "event_id" = ANY($1::uuid[])', [eventIds]);
  return new Map(rows.map((r) => [r.event_id, Number(r.seq)]));
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

  const stored = await awaitStored(env.db.url, sent);
  const { requests, strays, eventIds, repeats, delivered } = await awaitDelivered(() => receiver.forPath('/hook'), sent, 90_000);
  assert.deepEqual(strays, [], 'only the session\'s messages were delivered');
  // One event id per message, and a message's every request carries that id.
  for (const ids of eventIds.values()) assert.equal(ids.size, 1, 'a repeat keeps the event id');
  const idOf = new Map([...eventIds].map(([m, ids]) => [m, [...ids][0]!]));
  assert.equal(new Set(idOf.values()).size, idOf.size, 'every message has an event id of its own');
  // Repeats are marked: after a message's first request, every further one says it is a retry.
  for (const r of repeats) assert.ok(attemptOf(r) > 1, 'a repeated event carries X-WaGo-Attempt > 1');
  const duplicates = repeats.filter((r) => r.status < 300).length;
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
