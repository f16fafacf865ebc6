import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'chatstate');
});
after(async () => {
  await env?.stop();
});

test('/chat/typing/* and /chat/recording/* show composing, recording and paused to the contact', async () => {
  const seen = () => env.emu.control.chatstates(ALICE).filter((c) => c.from === OWNER_PHONE).map((c) => c.state);
  for (const [path, state] of [
    ['/chat/typing/start', 'composing'],
    ['/chat/typing/stop', 'paused'],
    ['/chat/recording/start', 'recording'],
    ['/chat/recording/stop', 'paused'],
  ] as const) {
    const before = seen().length;
    const r = await env.wago.call<{ Jid: string; State: string }>('POST', path, { token, body: { Jid: ALICE } });
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.data!.Jid, `${ALICE}@s.whatsapp.net`);
    assert.equal(r.body.data!.State, state);
    await waitFor(`${path} seen`, async () => seen().length === before + 1);
    assert.equal(seen().at(-1), state, path);
  }
});

test('/chat/disappearing-timer: the contact receives the ephemeral setting for 24h, 7d, 90d and off', async () => {
  for (const [timer, seconds] of [
    ['24h', 86_400],
    ['7d', 604_800],
    ['90d', 7_776_000],
    ['off', 0],
  ] as const) {
    const since = Date.now() / 1000 - 1;
    const r = await env.wago.call<{ Seconds: number; Timer: string }>('POST', '/chat/disappearing-timer', { token, body: { phone: ALICE, timer } });
    assert.equal(r.status, 200, `${timer}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.data!.Seconds, seconds);
    const [got] = await env.emu.control.waitForReceived(ALICE, {
      predicate: (m) => m.timestamp >= since && m.contentType === 'protocolMessage' && (m.message.protocolMessage as { type?: string }).type === 'EPHEMERAL_SETTING' && ((m.message.protocolMessage as { ephemeralExpiration?: number }).ephemeralExpiration ?? 0) === seconds,
      timeoutMs: 10_000,
    });
    assert.equal(got.fromPhone, OWNER_PHONE);
  }
});

test('bad input on /chat/*: 400 naming the field; nothing reaches the contact', async () => {
  const inbox = env.emu.control.received(BOB).length;
  const states = env.emu.control.chatstates(BOB).length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/chat/typing/start', {}, /^Jid is required/],
    ['/chat/typing/stop', { Jid: 7 }, /^Jid: expected string/],
    ['/chat/recording/start', { Jid: 'nope' }, /^Jid: must be a phone number/],
    ['/chat/recording/stop', { Phone: BOB }, /^Jid is required/],
    ['/chat/disappearing-timer', { phone: BOB }, /^timer is required/],
    ['/chat/disappearing-timer', { phone: BOB, timer: '1h' }, /^timer: must be one of off, 24h, 7d, 90d/],
    ['/chat/disappearing-timer', { phone: BOB, timer: 86400 }, /^timer: expected string/],
    ['/chat/disappearing-timer', { Phone: BOB, timer: '24h' }, /^phone is required/],
    ['/chat/disappearing-timer', { phone: '12', timer: '24h' }, /^phone: must have 7 to 15 digits/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(BOB).length, inbox);
  assert.equal(env.emu.control.chatstates(BOB).length, states);
});

test('in a group: the disappearing timer becomes the group setting; reactions to a member\'s message name that member', async () => {
  const group = env.emu.control.createGroup(OWNER_PHONE, 'Timers', [ALICE, BOB]);
  const r = await env.wago.call('POST', '/chat/disappearing-timer', { token, body: { phone: group.jid, timer: '7d' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await waitFor('group ephemeral', async () => env.emu.control.group(group.jid).ephemeral === 604_800);
  const off = await env.wago.call('POST', '/chat/disappearing-timer', { token, body: { phone: group.jid, timer: 'off' } });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  await waitFor('group ephemeral off', async () => env.emu.control.group(group.jid).ephemeral === 0);

  // A member writes; WaGo stores it, then reacts to it by id alone: the participant comes from the store.
  const id = await env.emu.control.groupSend(group.jid, ALICE, { text: 'group hello' });
  await waitFor('stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: id } })).status === 200);
  const react = await env.wago.call<{ Id: string }>('POST', '/message/react', { token, body: { Phone: group.jid, Body: '🎉', Id: id, IsFromMe: false } });
  assert.equal(react.status, 200, JSON.stringify(react.body));
  const [got] = await env.emu.control.waitForReceived(BOB, { predicate: (m) => m.id === react.body.data!.Id, timeoutMs: 10_000 });
  const reaction = got.message.reactionMessage as { text: string; key: { id: string; participant?: string; fromMe?: boolean } };
  assert.equal(reaction.text, '🎉');
  assert.equal(reaction.key.id, id);
  assert.ok(!reaction.key.fromMe);
  assert.ok(reaction.key.participant, 'the reaction names the author of the message');
  const author = env.emu.world.resolveJid(reaction.key.participant);
  assert.equal(author?.account.phone, ALICE);
});

test('WhatsApp refusing a change is a 502 naming its answer, not an internal error', async () => {
  // A group this account is not in: WhatsApp answers the ephemeral setting with 403 forbidden.
  const foreign = env.emu.control.createGroup(ALICE, 'Not ours', [BOB]);
  const r = await env.wago.call('POST', '/chat/disappearing-timer', { token, body: { phone: foreign.jid, timer: '7d' } });
  assert.equal(r.status, 502, JSON.stringify(r.body));
  assert.match(r.body.error!, /^WhatsApp refused the request: .+ \(403\)$/);
  assert.equal(env.emu.control.group(foreign.jid).ephemeral ?? 0, 0);
});
