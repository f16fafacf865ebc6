import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startEmulatedWago, waitFor, linkedSession, ALICE, OWNER_PHONE, type EmulatedWago, type SendAnswer } from '../helpers/emulated-wago';
import { ADMIN_TOKEN } from '../helpers/wago';
import { WebhookReceiver } from '../helpers/webhook-receiver';

// WaGo at its default level (info), its log lines captured: what an operator's log store keeps.
const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const receiver = new WebhookReceiver();
let env: EmulatedWago;

before(async () => {
  await receiver.start();
  env = await startEmulatedWago({}, { logger: pino({ level: 'info' }, capture) });
});
after(async () => {
  await env?.stop();
  await receiver.stop();
});

const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

test('at the default level the log holds no token, secret or message body, and carries request and session ids', async () => {
  const token = await linkedSession(env, 'log-hygiene');
  const hook = await env.wago.call<{ Secret: string }>('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/hook'), Events: ['Message'] } });
  const secret = hook.body.data!.Secret;
  assert.ok(secret, 'a signing secret was generated');
  const body = 'a distinctive body 7f3a9c-log-hygiene';
  const sent = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: body } });
  assert.equal(sent.status, 200);
  await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === sent.body.data!.Id, timeoutMs: 10_000 });
  // A reply comes in too (an incoming body), and requests are refused (logged at info).
  const incoming = 'an incoming body 51c0de-log-hygiene';
  const reply = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: incoming });
  await waitFor('the incoming message delivered to the webhook', async () => receiver.requests.some((r) => r.raw.includes(reply.id)));
  const refused = await env.wago.call('POST', '/send/text', { token, body: { Phone: ALICE } });
  assert.equal(refused.status, 400);
  const refusedAdmin = await env.wago.call('GET', '/session/all', { admin: 'a-wrong-admin-token-0123456789' });
  assert.equal(refusedAdmin.status, 401);
  await waitFor('the refusal logged', async () => entries().some((e) => e.msg === 'request refused' && e.status === 400));

  const log = lines.join('\n');
  for (const [name, value] of Object.entries({ token, secret, body, incoming, ADMIN_TOKEN, wrongAdmin: 'a-wrong-admin-token-0123456789' })) {
    assert.ok(!log.includes(value), `the log holds the ${name}`);
  }
  const refusal = entries().find((e) => e.msg === 'request refused' && e.status === 400)!;
  assert.match(String(refusal.reqId), /\S/, 'a request line carries its request id');
  assert.ok(refusal.sessionId, 'a session request line carries the session id');
  for (const e of entries().filter((x) => x.msg === 'request refused')) assert.match(String(e.reqId), /\S/, 'every request line carries its request id');
  // A session's own lines (its connection's) name it.
  await env.wago.call('POST', '/session/disconnect', { token });
  await waitFor('the session logged', async () => entries().some((e) => e.component === 'session'));
  for (const e of entries().filter((x) => x.component === 'session')) assert.ok(e.sessionId, `a session line without its session id: ${JSON.stringify(e)}`);
});
