import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { queryRows } from '../helpers/db';
import { webhookWagoForFile, type WebhookSession as Session, type WebhookSettings as Settings } from '../helpers/webhook-wago';
import { eventually as until } from '../helpers/until';
import { WebhookReceiver, verifyAsDocumented, type ReceivedRequest } from '../helpers/webhook-receiver';
import { DeliveryWorker } from '../../server/webhooks/worker';
import { WebhookSettingsCache } from '../../server/webhooks/settings-cache';
import { sweepWebhookEvents } from '../../server/webhooks/retention';

interface Delivery {
  EventId: string;
  Type: string;
  Status: 'pending' | 'delivered' | 'dead';
  Attempts: number;
  LastStatusCode: number | null;
  LastError: string | null;
  Event: { id: string; type: string; data: Record<string, unknown> };
}
const env = webhookWagoForFile<Delivery>();
const { receiver, newSession, setHook, deliveries, publish } = env;

function assertError(answer: { status: number; body: { success: boolean; error?: string } }, status: number, mentions?: RegExp) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.success, false);
  if (mentions) assert.match(answer.body.error ?? '', mentions);
}

const bodyOf = (r: ReceivedRequest) => JSON.parse(r.raw) as { id: string; type: string; sessionId: string; timestamp: string; data: Record<string, unknown> };

describe('delivery', () => {
  let alpha: Session;
  let secret: string;

  test('events arrive in order, signed as documented, with the documented headers; the secret is shown once', async () => {
    alpha = await newSession('alpha');
    const set = await setHook(alpha, { WebhookURL: receiver.url('/alpha') });
    assert.match(set.Secret ?? '', /^whsec_[A-Za-z0-9_-]{43}$/, 'a secret is generated with the first URL');
    assert.equal(set.HasSecret, true);
    secret = set.Secret!;
    const again = await setHook(alpha, { WebhookURL: receiver.url('/alpha') });
    assert.equal(again.Secret, undefined, 'the secret is not shown again');
    const read = await env.wago.call<Settings>('GET', '/webhook', { token: alpha.token });
    assert.deepEqual(read.body.data, { WebhookURL: receiver.url('/alpha'), Events: [], Format: 'json', HasSecret: true });

    const ids = await publish(alpha, 3);
    const test = await env.wago.call<{ EventId: string }>('POST', '/webhook/test', { token: alpha.token });
    assert.equal(test.status, 200);
    ids.push(test.body.data!.EventId);
    await receiver.waitFor('4 deliveries', () => receiver.accepted('/alpha').length >= 4);
    const got = receiver.accepted('/alpha');
    assert.deepEqual(got.map((r) => r.eventId), ids, 'in publish order, each once');
    for (const r of got) {
      assert.ok(verifyAsDocumented(secret, r.headers, r.raw), 'signature verifies over "<timestamp>.<raw body>"');
      assert.equal(verifyAsDocumented(secret, r.headers, `${r.raw} `), false, 'a changed body fails');
      assert.equal(verifyAsDocumented('whsec_wrong', r.headers, r.raw), false, 'another secret fails');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.match(String(r.headers['user-agent']), /^WaGo\/\d+\.\d+\.\d+/);
      const event = bodyOf(r);
      assert.equal(event.id, r.headers['x-wago-event-id']);
      assert.equal(event.type, r.headers['x-wago-event-type']);
      assert.equal(event.sessionId, alpha.id);
      assert.deepEqual(Object.keys(event), ['id', 'type', 'sessionId', 'timestamp', 'data']);
    }
    assert.deepEqual(got.map((r) => bodyOf(r).type), ['Message', 'Message', 'Message', 'Test']);
    assert.deepEqual(got.slice(0, 3).map((r) => bodyOf(r).data), [{ n: 0 }, { n: 1 }, { n: 2 }]);
    // The receiver answers before the worker records the outcome: wait for the record, not the request.
    await until('4 deliveries recorded', async () => (await deliveries(alpha)).every((d) => d.Status !== 'pending'));
    const rows = await deliveries(alpha);
    assert.deepEqual(rows.map((d) => d.EventId), [...ids].reverse(), 'listed newest first');
    for (const d of rows) assert.deepEqual([d.Status, d.Attempts, d.LastStatusCode, d.LastError], ['delivered', 1, 200, null]);
  });

  test('RotateSecret: a new secret, returned once, signs the next deliveries', async () => {
    const rotated = await setHook(alpha, { WebhookURL: receiver.url('/alpha'), RotateSecret: true });
    assert.match(rotated.Secret ?? '', /^whsec_/);
    assert.notEqual(rotated.Secret, secret);
    const [id] = await publish(alpha, 1);
    await receiver.waitFor('the delivery', () => receiver.accepted('/alpha').some((r) => r.eventId === id));
    const r = receiver.accepted('/alpha').find((x) => x.eventId === id)!;
    assert.ok(verifyAsDocumented(rotated.Secret!, r.headers, r.raw));
    assert.equal(verifyAsDocumented(secret, r.headers, r.raw), false, 'the old secret no longer verifies');
    secret = rotated.Secret!;
  });

  test('subscription: only subscribed types are stored and sent (Test always)', async () => {
    const s = await newSession('filtered');
    const set = await setHook(s, { WebhookURL: receiver.url('/filtered'), Events: ['Message', 'ReadReceipt', 'Message'] });
    assert.deepEqual(set.Events, ['Message', 'ReadReceipt']);
    const bus = env.wago.runtime.events;
    await bus.publish(s.id, 'Presence', { from: { jid: null, lid: null }, presence: 'available', lastSeen: null });
    const m = await bus.publish(s.id, 'Message', { text: 'hi' });
    await bus.publish(s.id, 'Connected', { jid: null, lid: null, pushName: null });
    const rr = await bus.publish(s.id, 'ReadReceipt', { chat: { jid: null, lid: null }, sender: { jid: null, lid: null }, messageIds: ['x'], type: 'read', timestamp: 1 });
    const t = await bus.publish(s.id, 'Test', { message: 'marker' });
    await receiver.waitFor('the marker', () => receiver.accepted('/filtered').some((r) => r.eventId === t.id));
    assert.deepEqual(receiver.forPath('/filtered').map((r) => r.eventId), [m.id, rr.id, t.id]);
    assert.equal((await deliveries(s)).length, 3, 'unsubscribed events are not even stored');
    assert.deepEqual((await setHook(s, { WebhookURL: receiver.url('/filtered'), Events: ['Message', 'All'] })).Events, ['All']);
    const p = await bus.publish(s.id, 'Presence', { from: { jid: null, lid: null }, presence: 'unavailable', lastSeen: 5 });
    await receiver.waitFor('All includes Presence', () => receiver.accepted('/filtered').some((r) => r.eventId === p.id));
  });

  test('legacy form format: token (= session id) and jsonData fields, signed over the form body', async () => {
    const s = await newSession('legacy');
    const set = await setHook(s, { WebhookURL: receiver.url('/legacy'), Format: 'form' });
    assert.equal(set.Format, 'form');
    const [id] = await publish(s, 1, () => ({ text: 'héllo & bye=1' }));
    await receiver.waitFor('the form delivery', () => receiver.accepted('/legacy').length === 1);
    const r = receiver.accepted('/legacy')[0];
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.ok(verifyAsDocumented(set.Secret!, r.headers, r.raw));
    const form = new URLSearchParams(r.raw);
    assert.deepEqual([...form.keys()], ['token', 'jsonData']);
    assert.equal(form.get('token'), s.id);
    const event = JSON.parse(form.get('jsonData')!) as { id: string; data: { text: string } };
    assert.equal(event.id, id);
    assert.equal(event.data.text, 'héllo & bye=1');
  });
});

describe('failures and retries', () => {
  test('receiver answering 500, then down, then up: every event arrives once, in order', async () => {
    const flaky = new WebhookReceiver();
    await flaky.start();
    try {
      const s = await newSession('flaky');
      const set = await setHook(s, { WebhookURL: flaky.url('/hook') });
      flaky.respond('/hook', (_req, nth) => (nth < 2 ? 500 : 200));
      const ids = await publish(s, 5);
      await flaky.waitFor('two 500 answers', () => flaky.forPath('/hook').length >= 2);
      await flaky.stop(); // down: connections refused
      ids.push(...(await publish(s, 3)));
      await until('an attempt while down', async () => {
        const head = (await deliveries(s)).find((d) => d.EventId === ids[0])!;
        return head.Attempts >= 3;
      });
      const head = (await deliveries(s)).find((d) => d.EventId === ids[0])!;
      assert.equal(head.Status, 'pending');
      assert.equal(head.LastStatusCode, null, 'the last attempt got no HTTP answer');
      assert.match(head.LastError ?? '', /ECONNREFUSED|fetch failed/, 'the last error is the network error');
      await flaky.start(); // up again, same port
      await flaky.waitFor('all 8 events', () => flaky.accepted('/hook').length >= 8, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      const accepted = flaky.accepted('/hook').map((r) => r.eventId);
      assert.deepEqual(accepted, ids, 'all events, in order, none duplicated');
      const requested = flaky.requests.map((r) => ids.indexOf(r.eventId));
      assert.deepEqual(requested, [...requested].sort((a, b) => a - b), 'no event was sent before the earlier ones were delivered');
      assert.deepEqual(flaky.requests.slice(0, 2).map((r) => r.eventId), [ids[0], ids[0]]);
      for (const r of flaky.accepted('/hook')) assert.ok(verifyAsDocumented(set.Secret!, r.headers, r.raw));
      await until('all 8 recorded', async () => (await deliveries(s)).every((d) => d.Status === 'delivered'));
      const rows = await deliveries(s);
      assert.ok(rows.every((d) => d.Status === 'delivered'));
      assert.equal(rows.find((d) => d.EventId === ids[0])!.Attempts >= 4, true);
      assert.equal(flaky.accepted('/hook')[0].headers['x-wago-attempt'], String(rows.find((d) => d.EventId === ids[0])!.Attempts));
    } finally {
      await flaky.stop();
    }
  });

  let deadId: string;
  let deadSession: Session;
  test('an event older than the maximum age goes dead and the queue moves on', async () => {
    deadSession = await newSession('expiring');
    await setHook(deadSession, { WebhookURL: receiver.url('/expiring') });
    let failing = true;
    receiver.respond('/expiring', (req) => (failing && req.raw.includes('"poison":true') ? 503 : 200));
    const [poison, next] = await publish(deadSession, 2, (i) => (i === 0 ? { poison: true } : { poison: false }));
    deadId = poison;
    await receiver.waitFor('a first failed attempt', () => receiver.forPath('/expiring').length >= 1);
    await until('the failure recorded', async () => (await deliveries(deadSession)).some((d) => d.EventId === poison && d.LastStatusCode === 503));
    // Make the poison event two days old (beyond the 24 h default) and due now.
    await env.wago.runtime.prisma.webhookEvent.update({
      where: { eventId: poison },
      data: { createdAt: new Date(Date.now() - 2 * 86400_000), nextAttemptAt: new Date() },
    });
    await receiver.waitFor('the next event', () => receiver.accepted('/expiring').some((r) => r.eventId === next), 10_000);
    await until('the next event recorded', async () => (await deliveries(deadSession)).some((d) => d.EventId === next && d.Status === 'delivered'));
    const rows = await deliveries(deadSession);
    const dead = rows.find((d) => d.EventId === poison)!;
    assert.equal(dead.Status, 'dead');
    assert.match(dead.LastError ?? '', /expired/);
    assert.equal(dead.LastStatusCode, 503);
    assert.equal(rows.find((d) => d.EventId === next)!.Status, 'delivered');
    assert.equal(receiver.accepted('/expiring').some((r) => r.eventId === poison), false, 'the dead event was never accepted');
    assert.deepEqual((await deliveries(deadSession, '?Status=dead')).map((d) => d.EventId), [poison]);
    failing = false;
  });

  test('redelivery: a delivered or dead event is sent again with the same id', async () => {
    const s = await newSession('redeliver');
    await setHook(s, { WebhookURL: receiver.url('/redeliver') });
    const [id] = await publish(s, 1, () => ({ once: 'more' }));
    await receiver.waitFor('first delivery', () => receiver.accepted('/redeliver').length === 1);
    await until('first delivery recorded', async () => (await deliveries(s))[0].Status === 'delivered');
    const r = await env.wago.call<{ EventId: string; Status: string; Previous: string }>('POST', '/webhook/redeliver', { token: s.token, body: { EventId: id } });
    assert.deepEqual(r.body.data, { EventId: id, Status: 'pending', Previous: 'delivered' });
    await receiver.waitFor('second delivery', () => receiver.accepted('/redeliver').length === 2);
    const [first, second] = receiver.accepted('/redeliver');
    assert.equal(second.eventId, id);
    assert.equal(bodyOf(second).id, id);
    assert.deepEqual(bodyOf(second), bodyOf(first), 'the same event');
    await until('delivered again', async () => (await deliveries(s))[0].Status === 'delivered');

    const revived = await env.wago.call<{ Previous: string }>('POST', '/webhook/redeliver', { token: deadSession.token, body: { EventId: deadId } });
    assert.equal(revived.body.data!.Previous, 'dead');
    await receiver.waitFor('the dead event, now accepted', () => receiver.accepted('/expiring').some((x) => x.eventId === deadId));
    assertError(await env.wago.call('POST', '/webhook/redeliver', { token: s.token, body: { EventId: '00000000-0000-4000-8000-000000000000' } }), 404, /^EventId:/);
    assertError(await env.wago.call('POST', '/webhook/redeliver', { token: s.token, body: { EventId: 'nope' } }), 400, /^EventId: must be an event id/);
    assertError(await env.wago.call('POST', '/webhook/redeliver', { token: s.token, body: {} }), 400, /^EventId is required/);
  });
});

describe('settings and access', () => {
  test('validation errors are 400 naming the field', async () => {
    const s = await newSession('validation');
    const call = (body: unknown) => env.wago.call('POST', '/webhook', { token: s.token, body });
    assertError(await call({ WebhookURL: receiver.url('/v'), Events: ['Message', 'Nope'] }), 400, /^Events\[1\]: unknown event type/);
    assertError(await call({ WebhookURL: receiver.url('/v'), Events: 'All' }), 400, /^Events: expected array/);
    assertError(await call({ WebhookURL: receiver.url('/v'), Format: 'xml' }), 400, /^Format: must be "json" or "form"/);
    assertError(await call({ WebhookURL: receiver.url('/v'), RotateSecret: 'yes' }), 400, /^RotateSecret: expected boolean/);
    assertError(await call({ Events: ['All'] }), 400, /^WebhookURL is required/);
    assertError(await call({ WebhookURL: 'ftp://x.org' }), 400, /^WebhookURL: must use http/);
    assertError(await env.wago.call('GET', '/webhook/events?Status=lost', { token: s.token }), 400, /^Status:/);
    assertError(await env.wago.call('GET', '/webhook/events?Limit=0', { token: s.token }), 400, /^Limit:/);
    assertError(await env.wago.call('POST', '/webhook/test', { token: s.token }), 409, /WebhookURL is not set/);
    const unchanged = await env.wago.call<Settings>('GET', '/webhook', { token: s.token });
    assert.deepEqual(unchanged.body.data, { WebhookURL: '', Events: [], Format: 'json', HasSecret: false }, 'refused changes changed nothing');
    const cleared = await setHook(s, { WebhookURL: '', Events: ['Message'] });
    assert.equal(cleared.HasSecret, false, 'no secret without a URL');
    assert.deepEqual(cleared.Events, ['Message']);
  });

  test("another session's token can neither list nor redeliver this session's events", async () => {
    const owner = await newSession('owner');
    const other = await newSession('other');
    await setHook(owner, { WebhookURL: receiver.url('/owner') });
    await setHook(other, { WebhookURL: receiver.url('/other') });
    const [id] = await publish(owner, 1);
    await receiver.waitFor('owner delivery', () => receiver.accepted('/owner').length === 1);
    assertError(await env.wago.call('POST', '/webhook/redeliver', { token: other.token, body: { EventId: id } }), 404, /EventId/);
    assert.deepEqual(await deliveries(other), []);
    assertError(await env.wago.call('GET', '/webhook/events'), 401, /token/);
    assertError(await env.wago.call('GET', '/webhook/events', { admin: true }), 401, /token/);
    assertError(await env.wago.call('POST', '/webhook/redeliver', { token: 'not-a-valid-token-at-all', body: { EventId: id } }), 401);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.accepted('/owner').length, 1, 'nothing was re-sent');
  });
});

describe('several workers on one database', () => {
  test('two more delivery workers (as other processes would run) never send an event twice or out of order', async () => {
    const rival = (name: string) =>
      new DeliveryWorker({
        concurrency: 8,
        timeoutMs: 5_000,
        maxAgeSeconds: 3600,
        userAgent: `WaGo/${name}`,
        settings: new WebhookSettingsCache(env.wago.runtime.crypto),
        logger: pino({ level: 'silent' }),
        pollMs: 10,
      });
    const rivals = [rival('rival-a'), rival('rival-b')];
    for (const r of rivals) r.start();
    try {
      const sessions = await Promise.all([0, 1, 2, 3].map((i) => newSession(`race-${i}`)));
      for (const [i, s] of sessions.entries()) {
        await setHook(s, { WebhookURL: receiver.url(`/race-${i}`) });
        // Every 6th request fails: the session's queue waits for a retry, and any worker may take it over.
        receiver.respond(`/race-${i}`, (_req, nth) => (nth % 6 === 2 ? 503 : 200));
      }
      const published = await Promise.all(sessions.map((s) => publish(s, 25)));
      await receiver.waitFor('100 deliveries', () => sessions.every((_, i) => receiver.accepted(`/race-${i}`).length >= 25), 30_000);
      await new Promise((r) => setTimeout(r, 300));
      const agents = new Set<string>();
      for (const [i, ids] of published.entries()) {
        assert.deepEqual(receiver.accepted(`/race-${i}`).map((r) => r.eventId), ids, `session ${i}: each accepted once, in order`);
        const requested = receiver.forPath(`/race-${i}`).map((r) => ids.indexOf(r.eventId));
        assert.deepEqual(requested, [...requested].sort((a, b) => a - b), `session ${i}: nothing sent before the earlier events were delivered`);
        for (const r of receiver.forPath(`/race-${i}`)) agents.add(String(r.headers['user-agent']));
      }
      console.log(`workers that delivered: ${[...agents].join(', ')}`);
      assert.ok(agents.size >= 2, 'several workers took part');
    } finally {
      await Promise.all(rivals.map((r) => r.stop()));
    }
  });
});

describe('retention', () => {
  test('the sweep deletes delivered and dead events finished before the retention period, nothing else', async () => {
    const s = await newSession('retention');
    await setHook(s, { WebhookURL: receiver.url('/retention') });
    const ids = await publish(s, 4);
    await receiver.waitFor('4 deliveries', () => receiver.accepted('/retention').length === 4);
    await until('all recorded', async () => (await deliveries(s)).every((d) => d.Status === 'delivered'));
    const old = new Date(Date.now() - 8 * 86400_000);
    const rows = env.wago.runtime.prisma.webhookEvent;
    await rows.update({ where: { eventId: ids[0] }, data: { deliveredAt: old } });
    await rows.update({ where: { eventId: ids[1] }, data: { status: 'dead', deliveredAt: null, createdAt: old } });
    // Old but still pending: never deleted (far in the future so no worker touches it during the test).
    await rows.update({ where: { eventId: ids[2] }, data: { status: 'pending', createdAt: old, nextAttemptAt: new Date(Date.now() + 3600_000) } });
    const deleted = await sweepWebhookEvents(7);
    assert.ok(deleted >= 2);
    const left = (await deliveries(s)).map((d) => d.EventId);
    assert.deepEqual(left.sort(), [ids[2], ids[3]].sort());
    await rows.update({ where: { eventId: ids[2] }, data: { status: 'delivered', deliveredAt: new Date() } });
  });
});

describe('shutdown', () => {
  test('stopping WaGo abandons an in-flight request within a few seconds; the event stays pending, due at once', async () => {
    const s = await newSession('shutdown');
    await setHook(s, { WebhookURL: receiver.url('/hang') });
    let release: (() => void) | undefined;
    receiver.respond('/hang', () => new Promise<number>((done) => (release = () => done(200))));
    const [id] = await publish(s, 1);
    await receiver.waitFor('the request in flight', () => release !== undefined);
    const started = Date.now();
    await env.wago.stop();
    const took = Date.now() - started;
    release?.();
    assert.ok(took < 6_000, `stopped in ${took} ms`);
    const rows = await queryRows<{ status: string; attempts: number; last_error: string; due: boolean }>(
      env.db.url,
      'SELECT status, attempts, last_error, next_attempt_at <= now() AS due FROM webhook_events WHERE event_id = $1',
      [id],
    );
    assert.deepEqual(rows, [{ status: 'pending', attempts: 1, last_error: 'interrupted by shutdown', due: true }]);
  });
});
