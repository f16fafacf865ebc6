import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
const CAROL = '15550002003';

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'receipts');
});
after(async () => {
  await env?.stop();
});

function statusOf(phone: string, id: string): string | undefined {
  return env.emu.control.sent(phone).find((m) => m.id === id)?.status;
}

test('POST /message/markread: the contact sees read receipts for an array of ids and for a single id', async () => {
  const first = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'one' });
  const second = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'two' });
  const third = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'three' });
  for (const m of [first, second, third]) await waitFor('delivered', async () => statusOf(ALICE, m.id) === 'delivered');
  const r = await env.wago.call<{ Ids: string[]; Chat: string }>('POST', '/message/markread', { token, body: { Id: [first.id, second.id], Chat: ALICE } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data!.Ids, [first.id, second.id]);
  assert.equal(r.body.data!.Chat, `${ALICE}@s.whatsapp.net`);
  await waitFor('read', async () => statusOf(ALICE, first.id) === 'read' && statusOf(ALICE, second.id) === 'read');
  assert.equal(statusOf(ALICE, third.id), 'delivered', 'only the named messages are read');
  const single = await env.wago.call('POST', '/message/markread', { token, body: { Id: third.id, Chat: `+${ALICE}` } });
  assert.equal(single.status, 200, JSON.stringify(single.body));
  await waitFor('read', async () => statusOf(ALICE, third.id) === 'read');
});

test('POST /message/presence: the contact sees composing, recording (composing + Media audio) and paused', async () => {
  const seen = () => env.emu.control.chatstates(BOB).filter((c) => c.from === OWNER_PHONE).map((c) => c.state);
  for (const [body, state] of [
    [{ Phone: BOB, State: 'composing' }, 'composing'],
    [{ Phone: BOB, State: 'composing', Media: 'audio' }, 'recording'],
    [{ Phone: BOB, State: 'paused' }, 'paused'],
    [{ Phone: BOB, State: 'recording' }, 'recording'],
  ] as const) {
    const before = seen().length;
    const r = await env.wago.call<{ State: string }>('POST', '/message/presence', { token, body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data!.State, state);
    await waitFor(`${state} seen`, async () => seen().length === before + 1);
    assert.equal(seen().at(-1), state);
  }
});

test('bad input on /message/*: 400 naming the field; nothing reaches the contact', async () => {
  const inbox = env.emu.control.received(CAROL).length;
  const states = env.emu.control.chatstates(CAROL).length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/message/react', { Body: '👍', Id: 'ABC', IsFromMe: true }, /^Phone is required/],
    ['/message/react', { Phone: CAROL, Id: 'ABC', IsFromMe: true }, /^Body is required/],
    ['/message/react', { Phone: CAROL, Body: '👍', IsFromMe: true }, /^Id is required/],
    ['/message/react', { Phone: CAROL, Body: '👍', Id: 'ABC' }, /^IsFromMe is required/],
    ['/message/react', { Phone: CAROL, Body: '👍', Id: 'ABC', IsFromMe: 'yes' }, /^IsFromMe: expected boolean/],
    ['/message/react', { Phone: CAROL, Body: '👍', Id: 'bad id!', IsFromMe: true }, /^Id: may contain only/],
    ['/message/react', { Phone: 'nope', Body: '👍', Id: 'ABC', IsFromMe: true }, /^Phone: must be a phone number/],
    ['/message/presence', { Phone: CAROL }, /^State is required/],
    ['/message/presence', { Phone: CAROL, State: 'dancing' }, /^State: must be one of composing, paused, recording/],
    ['/message/presence', { Phone: CAROL, State: 'composing', Media: 'video' }, /^Media: must be/],
    ['/message/markread', { Chat: CAROL }, /^Id is required/],
    ['/message/markread', { Id: ['ABC'] }, /^Chat is required/],
    ['/message/markread', { Id: [], Chat: CAROL }, /^Id: /],
    ['/message/markread', { Id: 5, Chat: CAROL }, /^Id: must be a message id/],
    ['/message/markread', { Id: 'ABC', Chat: CAROL, Sender: 'x@example.com' }, /^Sender: must be a phone number or a WhatsApp JID/],
    ['/message/markread', { Id: 'ABC', Chat: '120363000000000000@g.us' }, /^Sender: required for group messages/],
    ['/message/delete', { Chat: CAROL }, /^MessageID is required/],
    ['/message/delete', { MessageID: 'ABC' }, /^Chat is required/],
    ['/message/delete', { Chat: '123', MessageID: 'ABC' }, /^Chat: must have 7 to 15 digits/],
    ['/message/edit', { Chat: CAROL, MessageID: 'ABC' }, /^Message is required/],
    ['/message/edit', { Chat: CAROL, MessageID: 'ABC', Message: '' }, /^Message: must not be empty/],
    ['/message/edit', { Chat: CAROL, Message: 'x' }, /^MessageID is required/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(CAROL).length, inbox, 'nothing reached the contact');
  assert.equal(env.emu.control.chatstates(CAROL).length, states, 'no chat state reached the contact');
});
