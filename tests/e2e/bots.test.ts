import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';
import type { WagoEvent } from '../../server/events/types';

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;
const BOT = '13135550002';
const BOT_JID = `${BOT}@s.whatsapp.net`;
const data = (e: WagoEvent) => e.data as Record<string, unknown>;

before(async () => {
  env = await startEmulatedWago();
  const res = await fetch(`${env.emu.url}/control/bots`, {
    method: 'POST',
    body: JSON.stringify({ phone: BOT, name: 'Emulated AI', personas: [{ personaId: 'tutor-1', name: 'Tutor' }, { personaId: 'chef-2', name: 'Chef' }] }),
  });
  assert.equal(res.status, 200);
  token = await linkedSession(env, 'bots');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

test('/bot/list answers the bot profiles WhatsApp offers', async () => {
  const r = await env.wago.call<{ Bots: Array<{ Jid: string; PersonaID: string }> }>('GET', '/bot/list', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, { Bots: [{ Jid: BOT_JID, PersonaID: 'tutor-1' }, { Jid: BOT_JID, PersonaID: 'chef-2' }] });
});

test('/bot/message reaches the bot as the persona\'s message, and the bot\'s answer arrives as a Message event', async () => {
  const r = await env.wago.call<SendAnswer & { PersonaID: string }>('POST', '/bot/message', { token, body: { Body: 'How long do I boil an egg?', PersonaID: 'chef-2' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Jid, BOT_JID);
  assert.equal(r.body.data!.PersonaID, 'chef-2');
  assert.equal(r.body.data!.Status, 'sent');
  // The bot's phone decrypted it, addressed to the persona.
  const got = await waitFor('the bot received the message', async () => env.emu.control.received(BOT).find((m) => m.id === r.body.data!.Id));
  assert.equal(got.text, 'How long do I boil an egg?');
  assert.equal(got.fromPhone, OWNER_PHONE);
  assert.deepEqual((got.message.messageContextInfo as { botMetadata?: unknown }).botMetadata, { personaId: 'chef-2' });

  const answer = await live.next('Message', (e) => data(e).fromMe === false && (data(e).chat as { jid: string | null }).jid === BOT_JID);
  assert.equal(data(answer).text, 'Chef: you asked "How long do I boil an egg?"');
  assert.deepEqual((data(answer).from as { jid: string | null }).jid, BOT_JID);
});

test('bad input: 400 naming the field; an unknown persona is a 404 and nothing is sent', async () => {
  const before = env.emu.control.received(BOT).length;
  const cases: Array<[unknown, number, RegExp]> = [
    [{}, 400, /^Body is required/],
    [{ Body: 'hi' }, 400, /^PersonaID is required/],
    [{ Body: '   ', PersonaID: 'chef-2' }, 400, /^Body: must not be empty/],
    [{ Body: 'hi', PersonaID: 7 }, 400, /^PersonaID: expected string/],
    [{ Body: 'hi', PersonaID: 'nobody' }, 404, /^PersonaID: WhatsApp lists no bot persona nobody/],
  ];
  for (const [body, status, message] of cases) {
    const r = await env.wago.call('POST', '/bot/message', { token, body });
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message);
  }
  assert.equal(env.emu.control.received(BOT).length, before);
});
