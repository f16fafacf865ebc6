import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '../../server/webhooks/signature';
import { buildBody, buildHeaders, eventJson } from '../../server/webhooks/deliver';
import { backoffDelay } from '../../server/webhooks/worker';
import { normaliseSubscription } from '../../server/services/webhook.service';
import { parseSubscription } from '../../server/services/session-runtime.service';
import { parseEventChoice } from '../../server/realtime/event-filter';

const event = {
  eventId: '0b7c9a9e-4a53-4b7e-9d7c-2f1f6f3d1a10',
  sessionId: '5d0b7f8e-1c1e-4c55-9a55-6b1f1a2b3c4d',
  type: 'Message',
  attempt: 2,
  // Key order as jsonb returns it: the body must put it back in the documented order.
  payload: { id: '0b7c9a9e-4a53-4b7e-9d7c-2f1f6f3d1a10', data: { text: 'a&b=c' }, type: 'Message', sessionId: '5d0b7f8e-1c1e-4c55-9a55-6b1f1a2b3c4d', timestamp: '2026-11-24T10:00:00.000Z' },
};

test('signature: sha256=hex HMAC over "<timestamp>.<raw body>", checked in constant time with a replay window', () => {
  const secret = generateWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(generateWebhookSecret(), secret);
  const body = '{"id":"x"}';
  const sig = signWebhook(secret, 1_700_000_000, body);
  assert.equal(sig, `sha256=${createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')}`);
  const ok = (h: { signature?: string; timestamp?: string }, raw = body, now = 1_700_000_010) =>
    verifyWebhook(secret, { signature: h.signature, timestamp: h.timestamp }, raw, 300, now);
  assert.equal(ok({ signature: sig, timestamp: '1700000000' }), true);
  assert.equal(ok({ signature: sig, timestamp: '1700000001' }), false, 'timestamp is signed');
  assert.equal(ok({ signature: sig, timestamp: '1700000000' }, '{"id":"y"}'), false, 'body is signed');
  assert.equal(ok({ signature: sig, timestamp: '1700000000' }, body, 1_700_000_301), false, 'too old: replay refused');
  assert.equal(ok({ signature: sig.toUpperCase(), timestamp: '1700000000' }), false);
  assert.equal(ok({ timestamp: '1700000000' }), false);
  assert.equal(ok({ signature: sig, timestamp: '17e8' }), false);
});

test('body: JSON event in documented key order; legacy form has token (session id) and jsonData', () => {
  const json = buildBody(event, 'json');
  assert.equal(json.contentType, 'application/json');
  assert.deepEqual(Object.keys(JSON.parse(json.body) as object), ['id', 'type', 'sessionId', 'timestamp', 'data']);
  assert.equal(json.body, eventJson(event.payload));
  const form = buildBody(event, 'form');
  assert.equal(form.contentType, 'application/x-www-form-urlencoded');
  const fields = new URLSearchParams(form.body);
  assert.equal(fields.get('token'), event.sessionId);
  assert.deepEqual(JSON.parse(fields.get('jsonData')!), JSON.parse(json.body));
});

test('headers: ids, type, attempt, timestamp, signature (absent without a secret), user agent', () => {
  const body = buildBody(event, 'json');
  const signed = buildHeaders(event, { secret: 'whsec_test', userAgent: 'WaGo/1.2.3' }, body.contentType, body.body, 1_700_000_000);
  assert.deepEqual(signed, {
    'content-type': 'application/json',
    'user-agent': 'WaGo/1.2.3',
    'x-wago-event-id': event.eventId,
    'x-wago-event-type': 'Message',
    'x-wago-session-id': event.sessionId,
    'x-wago-attempt': '2',
    'x-wago-timestamp': '1700000000',
    'x-wago-signature': signWebhook('whsec_test', 1_700_000_000, body.body),
  });
  const unsigned = buildHeaders(event, { secret: null, userAgent: 'WaGo/1.2.3' }, body.contentType, body.body, 1_700_000_000);
  assert.equal(unsigned['x-wago-signature'], undefined);
});

test('backoff: 1 s, 2 s, 4 s … capped at 5 min, with ±20 % jitter', () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffDelay(a, mid)), [1000, 2000, 4000, 8000, 16000]);
  assert.equal(backoffDelay(9, mid), 256_000);
  assert.equal(backoffDelay(10, mid), 300_000);
  assert.equal(backoffDelay(500, mid), 300_000);
  assert.equal(backoffDelay(1, () => 0), 800);
  assert.equal(backoffDelay(1, () => 0.999999), 1200);
});

test('subscription lists: names checked against the event types, "All" wins, duplicates dropped', () => {
  assert.deepEqual(normaliseSubscription([]), []);
  assert.deepEqual(normaliseSubscription(['Message', 'Message', 'Presence']), ['Message', 'Presence']);
  assert.deepEqual(normaliseSubscription(['Message', 'All']), ['All']);
  assert.throws(() => normaliseSubscription(['Message', 'message']), { status: 400, message: /^Events\[1\]: unknown event type "message"/ });
});

test('subscription lists: webhook Events, /session/connect Subscribe and socket.io auth.events follow one rule', () => {
  // "All" in any case wins; names are exact; duplicates go; each refusal names its own field and the entry.
  assert.deepEqual(normaliseSubscription(['Message', 'all']), ['All']);
  assert.deepEqual(parseSubscription(' Message, all '), ['All']);
  assert.equal(parseEventChoice(['ALL', 'Message']), null);
  assert.deepEqual(parseSubscription('Message,ReadReceipt,Message'), ['Message', 'ReadReceipt']);
  assert.deepEqual(parseEventChoice('Message,ReadReceipt,Message'), ['Message', 'ReadReceipt']);
  assert.deepEqual(parseSubscription(''), []);
  const tail = '; use "All" or one of ';
  assert.throws(() => parseSubscription('Message,Receipts'), { status: 400, message: new RegExp(`^Subscribe\\[1\\]: unknown event type "Receipts"${tail}Connected, `) });
  assert.throws(() => normaliseSubscription(['Message', 'Receipts']), { status: 400, message: new RegExp(`^Events\\[1\\]: unknown event type "Receipts"${tail}Connected, `) });
  assert.throws(() => parseEventChoice(['Message', 'Receipts']), { message: new RegExp(`^events\\[1\\]: unknown event type "Receipts"${tail}Connected, `) });
});
