import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryRows } from '../helpers/db';
import { webhookWagoForFile, type WebhookSession as Session } from '../helpers/webhook-wago';
import { eventually as until } from '../helpers/until';
import { sweepWebhookAttempts } from '../../server/webhooks/retention';
import { failingWebhookSessionIds } from '../../server/services/webhook-inspector.service';

// The webhook inspector's data: every attempt recorded (code, answer excerpt, timing), the request
// headers as sent (signature included, never the secret), the failing state and its filter.
interface Delivery {
  EventId: string;
  Type: string;
  Status: 'pending' | 'delivered' | 'dead';
  State: 'pending' | 'failing' | 'delivered' | 'dead';
  Attempts: number;
  LastStatusCode: number | null;
}
interface Inspection {
  Delivery: Delivery;
  Body: string;
  Attempts: Array<{ Attempt: number; StartedAt: string; DurationMs: number; StatusCode: number | null; Error: string | null; ResponseBody: string | null; Headers: Record<string, string> }>;
}
const env = webhookWagoForFile<Delivery>();
const { receiver, newSession, deliveries: list, publish } = env;

/** Sets the session's webhook URL; returns the secret shown with it (the first time). */
async function setHook(s: Session, url: string): Promise<string> {
  return (await env.setHook(s, { WebhookURL: url })).Secret!;
}

async function inspect(s: Session, eventId: string): Promise<Inspection> {
  const r = await env.wago.call<Inspection>('GET', `/webhook/events/attempts?EventId=${eventId}`, { token: s.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!;
}

test('a failing receiver: the head shows failing (filter, session set), every attempt is recorded with its code, answer and the headers as sent', async () => {
  const failing = await newSession('inspect-failing');
  const healthy = await newSession('inspect-healthy');
  const secret = await setHook(failing, receiver.url('/inspect'));
  await setHook(healthy, receiver.url('/healthy'));
  let down = true;
  receiver.respond('/inspect', () => (down ? 503 : 200));
  const ids = await publish(failing, 3);
  await publish(healthy, 2);
  await until('the head failing', async () => (await list(failing, '?Status=failing')).length === 1);
  const failingRows = await list(failing, '?Status=failing');
  assert.deepEqual(failingRows.map((d) => [d.EventId, d.Status, d.State, d.LastStatusCode]), [[ids[0], 'pending', 'failing', 503]]);
  const all = await list(failing);
  assert.deepEqual(all.filter((d) => d.EventId !== ids[0]).map((d) => [d.State, d.Attempts]), [['pending', 0], ['pending', 0]], 'the events behind it wait, untried');
  await until('the healthy session delivered', async () => (await list(healthy)).every((d) => d.State === 'delivered'));
  assert.deepEqual([...(await failingWebhookSessionIds([failing.id, healthy.id]))], [failing.id]);

  const during = await inspect(failing, ids[0]);
  assert.equal(during.Delivery.State, 'failing');
  assert.ok(during.Attempts.length >= 1);
  assert.deepEqual(during.Attempts.map((a) => [a.StatusCode, a.ResponseBody]), during.Attempts.map(() => [503, 'nope']));
  assert.match(during.Attempts[0].Error ?? '', /^HTTP 503: nope$/);

  await until('a second attempt', async () => (await inspect(failing, ids[0])).Attempts.length >= 2, 10_000);
  down = false;
  await receiver.waitFor('all three delivered', () => receiver.accepted('/inspect').length === 3, 15_000);
  await until('recorded as delivered', async () => (await list(failing)).every((d) => d.State === 'delivered'));
  assert.deepEqual([...(await failingWebhookSessionIds([failing.id, healthy.id]))], []);

  const done = await inspect(failing, ids[0]);
  assert.equal(done.Delivery.State, 'delivered');
  const sent = receiver.forPath('/inspect').filter((r) => r.eventId === ids[0]);
  assert.equal(done.Attempts.length, sent.length, 'one attempt row per request the receiver got');
  assert.equal(done.Delivery.Attempts, sent.length);
  assert.deepEqual(done.Attempts.map((a) => a.Attempt), sent.map((_, i) => i + 1));
  assert.deepEqual(done.Attempts.map((a) => a.StatusCode), sent.map((r) => r.status));
  assert.equal(done.Attempts.at(-1)!.ResponseBody, 'ok');
  assert.equal(done.Attempts.at(-1)!.Error, null);
  for (const [i, a] of done.Attempts.entries()) {
    assert.ok(a.DurationMs >= 0 && Number.isInteger(a.DurationMs));
    assert.ok(Math.abs(Date.parse(a.StartedAt) - sent[i].at) < 15_000);
    for (const name of ['content-type', 'user-agent', 'x-wago-event-id', 'x-wago-event-type', 'x-wago-session-id', 'x-wago-attempt', 'x-wago-timestamp', 'x-wago-signature']) {
      assert.equal(a.Headers[name], sent[i].headers[name], `attempt ${a.Attempt}: ${name} as it was sent`);
    }
  }
  assert.equal(done.Body, sent.at(-1)!.raw, 'the body as it was sent');
  assert.ok(!JSON.stringify(done).includes(secret), 'the secret is never shown');
  // The events behind the head went in one attempt each.
  for (const id of ids.slice(1)) assert.deepEqual((await inspect(failing, id)).Attempts.map((a) => [a.Attempt, a.StatusCode]), [[1, 200]]);
});

test('a long answer is kept to its first 1 KB; a network error has no code and no answer', async () => {
  let server: Server | undefined;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('é'.repeat(600) + 'x'.repeat(3000));
    });
  });
  await new Promise<void>((ready) => server!.listen(0, '127.0.0.1', () => ready()));
  const port = (server.address() as AddressInfo).port;
  try {
    const s = await newSession('inspect-long');
    await setHook(s, `http://127.0.0.1:${port}/long`);
    const [id] = await publish(s, 1);
    await until('delivered', async () => (await list(s))[0]?.State === 'delivered');
    const [attempt] = (await inspect(s, id)).Attempts;
    assert.equal(attempt.StatusCode, 200);
    assert.ok(Buffer.byteLength(attempt.ResponseBody!) <= 1024, 'at most 1 KB');
    assert.ok(attempt.ResponseBody!.startsWith('é'.repeat(500)));
  } finally {
    await new Promise<void>((done) => {
      server!.close(() => done());
      server!.closeAllConnections();
    });
  }
  const refused = await newSession('inspect-refused');
  await setHook(refused, `http://127.0.0.1:${port}/gone`);
  const [gone] = await publish(refused, 1);
  await until('an attempt', async () => (await inspect(refused, gone)).Attempts.length >= 1);
  const [first] = (await inspect(refused, gone)).Attempts;
  assert.deepEqual([first.StatusCode, first.ResponseBody], [null, null]);
  assert.match(first.Error ?? '', /ECONNREFUSED/);
  await env.wago.call('POST', '/webhook', { token: refused.token, body: { WebhookURL: '' } });
});

test('inspecting: 400 naming EventId, 404 for another session’s event; the failing filter is accepted by name', async () => {
  const a = await newSession('inspect-a');
  const b = await newSession('inspect-b');
  await setHook(a, receiver.url('/a'));
  const [id] = await publish(a, 1);
  const bad = await env.wago.call('GET', '/webhook/events/attempts?EventId=nope', { token: a.token });
  assert.equal(bad.status, 400);
  assert.match((bad.body as { error: string }).error, /EventId/);
  const other = await env.wago.call('GET', `/webhook/events/attempts?EventId=${id}`, { token: b.token });
  assert.equal(other.status, 404);
  const wrong = await env.wago.call('GET', '/webhook/events?Status=broken', { token: a.token });
  assert.equal(wrong.status, 400);
  assert.match((wrong.body as { error: string }).error, /Status.*failing/);
});

test('retention: attempts started before the retention period are deleted, newer ones kept', async () => {
  const s = await newSession('inspect-retention');
  await setHook(s, receiver.url('/retention'));
  const ids = await publish(s, 2);
  await until('delivered', async () => (await list(s)).every((d) => d.State === 'delivered'));
  await queryRows(env.db.url, `UPDATE webhook_attempts SET started_at = now() - interval '8 days' WHERE event_id = $1`, [ids[0]]);
  assert.ok((await sweepWebhookAttempts(7)) >= 1);
  const rows = await queryRows<{ event_id: string }>(env.db.url, 'SELECT event_id FROM webhook_attempts WHERE session_id = $1', [s.id]);
  assert.deepEqual(rows.map((r) => r.event_id), [ids[1]]);
});

test('a backlog of 120 events: one attempt each, recorded in order, delivered in order', async () => {
  const s = await newSession('inspect-backlog');
  await setHook(s, receiver.url('/backlog'));
  const ids = await publish(s, 120);
  await receiver.waitFor('120 deliveries', () => receiver.accepted('/backlog').length === 120, 30_000);
  assert.deepEqual(receiver.accepted('/backlog').map((r) => r.eventId), ids, 'delivered in order');
  await until('all recorded', async () => (await list(s, '?Limit=200')).every((d) => d.State === 'delivered' && d.Attempts === 1));
  const rows = await queryRows<{ event_id: string; attempt: number; status_code: number }>(
    env.db.url,
    'SELECT event_id, attempt, status_code FROM webhook_attempts WHERE session_id = $1 ORDER BY id',
    [s.id],
  );
  assert.deepEqual(rows.map((r) => r.event_id), ids, 'attempts recorded in order');
  assert.ok(rows.every((r) => r.attempt === 1 && r.status_code === 200));
});
