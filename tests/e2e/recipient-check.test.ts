import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago, type SendAnswer } from '../helpers/emulated-wago';

/** Sends to a phone number are checked with WhatsApp (usync contact) before anything is sent. */

let env: EmulatedWago;
let token: string;
const UNKNOWN_TTL_MS = 1500;

const stat = (name: 'clientMessages' | 'usyncContactQueries') => Number(env.emu.control.stats()[name]);

before(async () => {
  env = await startEmulatedWago({ WAGO_RECIPIENT_UNKNOWN_TTL_MS: String(UNKNOWN_TTL_MS) });
  token = await linkedSession(env, 'recipients');
});
after(async () => {
  await env?.stop();
});

test('a text to a number not on WhatsApp: 404 "Phone: not on WhatsApp", no message stanza reaches WhatsApp', async () => {
  const messages = stat('clientMessages');
  const queries = stat('usyncContactQueries');
  const r = await env.wago.call('POST', '/send/text', { token, body: { Phone: '+1 555 000 7001', Body: 'anyone there?' } });
  assert.equal(r.status, 404, JSON.stringify(r.body));
  assert.equal(r.body.error, 'Phone: not on WhatsApp');
  assert.equal(stat('usyncContactQueries'), queries + 1, 'WhatsApp was asked once');
  assert.equal(stat('clientMessages'), messages, 'no message stanza was sent');
  // Asked again within the negative TTL: answered from memory, WhatsApp is not asked again.
  const again = await env.wago.call('POST', '/send/text', { token, body: { Phone: '15550007001', Body: 'still nobody?' } });
  assert.equal(again.status, 404);
  assert.equal(stat('usyncContactQueries'), queries + 1);
  assert.equal(stat('clientMessages'), messages);
});

test('media and other sends name their own recipient field; the media is never fetched', async () => {
  const messages = stat('clientMessages');
  // The check comes before the media work: an unreachable URL would otherwise answer 400.
  const image = await env.wago.call('POST', '/send/image', { token, body: { Phone: '15550007002', Image: 'https://media.invalid/cat.png' } });
  assert.equal(image.status, 404, JSON.stringify(image.body));
  assert.equal(image.body.error, 'Phone: not on WhatsApp');
  const url = await env.wago.call('POST', '/send/mediaurl', { token, body: { Jid: '15550007002@s.whatsapp.net', Url: 'https://media.invalid/cat.png', Type: 'image', Caption: '', Filename: '' } });
  assert.equal(url.status, 404, JSON.stringify(url.body));
  assert.equal(url.body.error, 'Jid: not on WhatsApp');
  const poll = await env.wago.call('POST', '/send/poll', { token, body: { Phone: '15550007002', Question: 'Q?', Options: ['a', 'b'], MaxAnswer: 1 } });
  assert.equal(poll.status, 404, JSON.stringify(poll.body));
  const buttons = await env.wago.call('POST', '/send/buttons', { token, body: { Phone: '15550007002', Title: 'Menu', Content: 'pick', Footer: 'f', Buttons: [{ Id: 'a', Text: 'A' }] } });
  assert.equal(buttons.status, 404, JSON.stringify(buttons.body));
  assert.equal(buttons.body.error, 'Phone: not on WhatsApp');
  const mediaButton = await env.wago.call('POST', '/send/mediabutton', {
    token,
    body: { Phone: '15550007002', Content: 'look', Type: 'image', Media: 'https://media.invalid/cat.png', Buttons: [{ Id: 'a', Text: 'A' }] },
  });
  assert.equal(mediaButton.status, 404, JSON.stringify(mediaButton.body));
  assert.equal(mediaButton.body.error, 'Phone: not on WhatsApp');
  assert.equal(stat('clientMessages'), messages);
});

test('a burst of 20 concurrent sends to a new valid number asks WhatsApp once, and all 20 are delivered', async () => {
  const phone = '15550007100';
  env.emu.control.createAccount({ phone, name: 'Newcomer' });
  const queries = stat('usyncContactQueries');
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: phone, Body: `burst ${i}` } })),
  );
  for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(stat('usyncContactQueries'), queries + 1, 'one usync contact query for the whole burst');
  const got = await env.emu.control.waitForReceived(phone, { from: OWNER_PHONE, count: 20, timeoutMs: 20_000 });
  assert.deepEqual(got.map((m) => m.text).sort(), answers.map((_, i) => `burst ${i}`).sort());
  // Known now: a later send asks nothing.
  const later = await env.wago.call('POST', '/send/text', { token, body: { Phone: phone, Body: 'later' } });
  assert.equal(later.status, 200);
  assert.equal(stat('usyncContactQueries'), queries + 1);
});

test('a number that was unknown is asked again after the negative TTL and then found', async () => {
  const phone = '15550007200';
  const first = await env.wago.call('POST', '/send/text', { token, body: { Phone: phone, Body: 'hello?' } });
  assert.equal(first.status, 404);
  const queries = stat('usyncContactQueries');
  env.emu.control.createAccount({ phone, name: 'Late joiner' });
  // Within the TTL the remembered answer holds; after it, WhatsApp is asked again and knows the number.
  const sent = await waitFor(
    'the number to be found',
    async () => {
      const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: phone, Body: 'welcome' } });
      if (r.status === 404) return undefined;
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data!;
    },
    UNKNOWN_TTL_MS * 10,
  );
  assert.equal(stat('usyncContactQueries'), queries + 1, 'asked again once, after the TTL');
  const [got] = await env.emu.control.waitForReceived(phone, { predicate: (m) => m.id === sent.Id, timeoutMs: 10_000 });
  assert.equal(got.text, 'welcome');
});

test('a LID is not checked that way: sent as before', async () => {
  const lid = env.emu.control.account(ALICE).lid;
  const byLid = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: `${lid}@lid`, Body: 'by lid' } });
  assert.equal(byLid.status, 200, JSON.stringify(byLid.body));
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === byLid.body.data!.Id, timeoutMs: 10_000 });
  assert.equal(got.text, 'by lid');
});
