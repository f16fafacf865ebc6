import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { startEmulatedWago, waitFor, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago, type SendAnswer } from '../helpers/emulated-wago';
import { ADMIN_TOKEN } from '../helpers/wago';
import { WebhookReceiver } from '../helpers/webhook-receiver';

let env: EmulatedWago;
let token: string;
const receiver = new WebhookReceiver();
/** Only this loopback address is on the allow-list; the tests' own calls come from 127.0.0.1. */
const ALLOWED_FROM = '127.0.0.2';

const SERIES = [
  'wago_sessions',
  'wago_messages_received_total',
  'wago_messages_sent_total',
  'wago_webhook_queue_depth',
  'wago_webhook_delivered_total',
  'wago_webhook_failures_total',
  'wago_webhook_delivery_seconds',
  'wago_http_request_duration_seconds',
  'wago_event_loop_lag_seconds',
  'wago_db_pool_connections',
];

/** GET a path with node:http (so the source address can be chosen); status, content type and text. */
function get(path: string, opts: { admin?: boolean; from?: string } = {}): Promise<{ status: number; type: string; text: string }> {
  const url = new URL(path, env.wago.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: opts.from, headers: opts.admin ? { admintoken: ADMIN_TOKEN } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One sample's value from the exposition text (labels exactly as given, in prom-client's order). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

async function scrape(): Promise<string> {
  const res = await get('/metrics', { admin: true });
  assert.equal(res.status, 200, res.text);
  return res.text;
}

before(async () => {
  await receiver.start();
  env = await startEmulatedWago({ WAGO_METRICS_ALLOW: `${ALLOWED_FROM}/32, ::2` });
  token = await linkedSession(env, 'metrics');
});
after(async () => {
  await env?.stop();
  await receiver.stop();
});

test('GET /metrics: Prometheus text with every named series', async () => {
  const res = await get('/metrics', { admin: true });
  assert.equal(res.status, 200);
  assert.match(res.type, /^text\/plain; version=0\.0\.4/);
  for (const name of SERIES) assert.match(res.text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`);
  assert.equal(sample(res.text, 'wago_sessions', 'state="connected"'), 1);
  assert.ok(sample(res.text, 'wago_db_pool_connections', 'state="max"') >= 1);
  assert.ok(sample(res.text, 'wago_db_pool_connections', 'state="total"') >= 1);
  assert.ok(sample(res.text, 'wago_event_loop_lag_seconds', 'stat="max"') >= 0);
});

test('GET /metrics: 401 without the admin token; an allow-listed address needs none', async () => {
  const refused = await get('/metrics');
  assert.equal(refused.status, 401);
  assert.match(JSON.parse(refused.text).error, /admintoken/);
  const allowed = await get('/metrics', { from: ALLOWED_FROM });
  assert.equal(allowed.status, 200);
  assert.match(allowed.text, /^# TYPE wago_sessions gauge/m);
});

test('sending and receiving a message moves the counters; REST latency is by route template', async () => {
  const before = await scrape();
  const sent = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'counted' } });
  assert.equal(sent.status, 200);
  await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === sent.body.data!.Id, timeoutMs: 10_000 });
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'counted too' });
  const after = await waitFor('the received counter', async () => {
    const text = await scrape();
    return sample(text, 'wago_messages_received_total') > sample(before, 'wago_messages_received_total') && text;
  });
  assert.equal(sample(after, 'wago_messages_sent_total'), sample(before, 'wago_messages_sent_total') + 1);
  assert.equal(sample(after, 'wago_messages_received_total'), sample(before, 'wago_messages_received_total') + 1);
  assert.ok(sample(after, 'wago_http_request_duration_seconds_count', 'method="POST",route="/send/text",status="200"') >= 1);
  assert.doesNotMatch(after, /route="\/send\/text\?|route="\/session\/status\?/);
});

test('webhook deliveries, failures, latency and queue depth move with a receiver', async () => {
  receiver.respond('/fails', () => 500);
  const hook = await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/ok'), Events: ['Message'] } });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
  const before = await scrape();
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'for the webhook' });
  await receiver.waitFor('a delivery', () => receiver.requests.some((r) => r.path === '/ok'));
  const delivered = await waitFor('the delivered counter', async () => {
    const text = await scrape();
    return sample(text, 'wago_webhook_delivered_total') > sample(before, 'wago_webhook_delivered_total') && text;
  });
  assert.ok(sample(delivered, 'wago_webhook_delivery_seconds_count') > sample(before, 'wago_webhook_delivery_seconds_count'));
  assert.equal(sample(delivered, 'wago_webhook_failures_total'), sample(before, 'wago_webhook_failures_total'));

  await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/fails'), Events: ['Message'] } });
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'refused by the receiver' });
  const failed = await waitFor('the failure counter and the queue depth', async () => {
    const text = await scrape();
    return sample(text, 'wago_webhook_failures_total') > sample(delivered, 'wago_webhook_failures_total') && sample(text, 'wago_webhook_queue_depth') >= 1 && text;
  });
  assert.ok(sample(failed, 'wago_webhook_queue_depth') >= 1, 'the refused event waits for a retry');
  await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/ok'), Events: ['Message'] } });
});

test('GET /health/live and /health/ready answer 200 on a started server', async () => {
  const live = await env.wago.call<{ status: string }>('GET', '/health/live');
  assert.equal(live.status, 200);
  assert.equal(live.body.data!.status, 'ok');
  const ready = await env.wago.call<{ status: string; database: boolean; restore: boolean }>('GET', '/health/ready');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.data, { status: 'ready', database: true, restore: true });
});

test('/health/ready is 503 while sessions are being restored, 200 once restored', async () => {
  // WhatsApp that accepts the connection and never answers: the restore at start waits for it.
  const held: Socket[] = [];
  const silent: Server = createServer((socket) => held.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as { port: number }).port;
  try {
    await env.restart({ WAGO_WA_WS_URL: `ws://127.0.0.1:${port}/ws/chat`, WAGO_CONNECT_TIMEOUT_MS: '60000' });
    await waitFor('the restore to reach WhatsApp', async () => held.length > 0);
    const waiting = await env.wago.call('GET', '/health/ready');
    assert.equal(waiting.status, 503);
    assert.match(waiting.body.error!, /sessions are still being restored/);
    assert.equal((await env.wago.call('GET', '/health/live')).status, 200);
  } finally {
    for (const s of held) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
  await env.restart();
  await waitFor('ready', async () => (await env.wago.call('GET', '/health/ready')).status === 200);
  const status = await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token });
  assert.equal(status.body.data!.Connected, true, 'the session was restored before ready');
});

test('/health/ready is 503 while the database refuses connections, 200 when it is back', async () => {
  const url = new URL(env.db.url);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    const down = await waitFor('not ready', async () => {
      const r = await env.wago.call('GET', '/health/ready');
      return r.status === 503 && r;
    });
    assert.match(down.body.error!, /the database does not answer/);
    assert.equal((await env.wago.call('GET', '/health/live')).status, 200);
  } finally {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  await waitFor('ready again', async () => (await env.wago.call('GET', '/health/ready')).status === 200);
});
