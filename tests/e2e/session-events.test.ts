import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, linkedSession, listen, waitFor, OWNER_PHONE, ALICE, type EmulatedWago, type SendAnswer } from '../helpers/emulated-wago';
import { WebhookReceiver, verifyAsDocumented } from '../helpers/webhook-receiver';
import type { WagoEvent } from '../../server/events/types';

// A second phone account with its own linked session, to check tenants never see each other's events.
const OTHER_PHONE = '15550003000';
let env: EmulatedWago;
let receiver: WebhookReceiver;
let token: string;
let otherToken: string;

before(async () => {
  env = await startEmulatedWago();
  receiver = new WebhookReceiver();
  await receiver.start();
  env.emu.control.createAccount({ phone: OTHER_PHONE, name: 'Other tenant' });
  token = await linkedSession(env, 'events');
  const init = await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'other' } });
  otherToken = init.body.data!.token;
  await env.wago.call('POST', '/session/connect', { token: otherToken });
  const qr = await env.wago.call<{ Code: string }>('GET', '/session/qr', { token: otherToken });
  await env.emu.control.scanQr(qr.body.data!.Code, OTHER_PHONE);
  await waitFor('other connected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token: otherToken })).body.data!.Connected);
});
after(async () => {
  await env?.stop();
  await receiver?.stop();
});

test('a received WhatsApp message produces a signed webhook with sender PN and LID; other sessions never see it', async () => {
  const hook = await env.wago.call<{ Secret: string }>('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/wa'), Events: ['Message'] } });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
  const secret = hook.body.data!.Secret;
  assert.match(secret, /\S{16,}/, 'the signing secret is shown once');
  const otherLive = await listen(env.wago.url, otherToken);

  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'webhook me' });
  const delivery = await waitFor('webhook delivery', async () => receiver.requests.find((r) => r.path === '/wa' && r.raw.includes(sent.id)));
  assert.ok(verifyAsDocumented(secret, delivery.headers, delivery.raw), 'the signature verifies as documented');
  const event = JSON.parse(delivery.raw) as WagoEvent;
  assert.equal(event.type, 'Message');
  assert.equal(delivery.headers['x-wago-event-id'], event.id);
  const data = event.data as { text: string; from: { jid: string; lid: string | null } };
  assert.equal(data.text, 'webhook me');
  assert.equal(data.from.jid, `${ALICE}@s.whatsapp.net`);
  assert.match(data.from.lid ?? '', /@lid$/);

  await new Promise((r) => setTimeout(r, 500));
  assert.equal(otherLive.events.filter((e) => JSON.stringify(e).includes(sent.id)).length, 0, "another session's socket gets none of it");
  otherLive.socket.close();
});

test('after a restart the session is back without a QR and sends and receives', async () => {
  await env.restart();
  await waitFor('restored', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data!.Connected);
  const live = await listen(env.wago.url, token);
  const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'after restart' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === r.body.data!.Id, timeoutMs: 10_000 });
  assert.equal(got.text, 'after restart');
  const incoming = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'welcome back' });
  const event = await live.next('Message', (e) => (e.data as { id?: string }).id === incoming.id);
  assert.equal((event.data as { text: string }).text, 'welcome back');
  assert.equal(live.events.filter((e) => e.type === 'QR').length, 0, 'no QR after a restart');
  live.socket.close();
});
