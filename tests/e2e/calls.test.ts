import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import type { EventPayloads } from '../../server/events/types';
import type { CallView } from '../../server/services/calls/call-view';
import { callProbes } from '../helpers/calls';

let env: EmulatedWago;
let token: string;
let events: Awaited<ReturnType<typeof listen>>;
const BOB = '15550002002';

/** Call signalling and tracking against the emulator (the audio is call-audio.test.ts'). */
before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'calls');
  events = await listen(env.wago.url, token);
});
after(async () => {
  events?.socket.close();
  await env?.stop();
});

const { status, post, callEvent, wagoState, emuState } = callProbes(() => env, () => token, () => events);

/** The contact's phone calls the session's account; resolves once WaGo tracks the call as ringing. */
async function incoming(from = ALICE): Promise<string> {
  const call = await env.emu.calls.start(from, OWNER_PHONE);
  await callEvent(call.id, 'ringing');
  return call.id;
}


test('an incoming call is tracked (peer as JID and LID), published as a Call event and listed while open', async () => {
  const alice = env.emu.control.listAccounts().find((a) => a.phone === ALICE)!;
  const call = await env.emu.calls.start(ALICE, OWNER_PHONE);
  const event = await callEvent(call.id, 'ringing');
  const data: EventPayloads['Call'] = event.data;
  assert.equal(data.status, 'offer');
  assert.equal(data.direction, 'incoming');
  assert.equal(data.by, 'peer');
  assert.deepEqual(data.peer, { jid: `${ALICE}@s.whatsapp.net`, lid: alice.lid });
  assert.deepEqual(data.from, data.peer);
  assert.equal(data.isVideo, false);

  const one = await status(call.id);
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.data!.State, 'ringing');
  assert.equal(one.body.data!.Direction, 'incoming');
  assert.equal(one.body.data!.Peer.Jid, `${ALICE}@s.whatsapp.net`);
  assert.equal(one.body.data!.Peer.Lid, alice.lid);
  assert.equal(one.body.data!.MediaLeg, 'emulator-webrtc');
  const all = await env.wago.call<{ Calls: CallView[] }>('GET', '/call/status', { token });
  assert.ok(all.body.data!.Calls.some((c) => c.CallID === call.id));

  // a video call says so
  const video = await env.emu.calls.start(BOB, OWNER_PHONE, { video: true });
  assert.equal((await callEvent(video.id, 'ringing')).data.isVideo, true);
  await post('/call/hangup', { CallID: video.id });
  await post('/call/hangup', { CallID: call.id });
});

test('/call/reject rejects through WhatsApp: the caller sees it declined; a second reject or an answer gets 409', async () => {
  const id = await incoming();
  const r = await post('/call/reject', { CallID: id });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Call.State, 'rejected');
  await emuState(id, 'rejected');
  assert.equal(env.emu.calls.get(id).history.at(-1)!.by, 'device');
  const again = await post('/call/reject', { CallID: id });
  assert.equal(again.status, 409);
  assert.match(again.body.error ?? '', /^CallID: the call is over \(rejected/);
  const answer = await post('/call/answer', { CallID: id });
  assert.equal(answer.status, 409);
  const all = await env.wago.call<{ Calls: CallView[] }>('GET', '/call/status', { token });
  assert.ok(!all.body.data!.Calls.some((c) => c.CallID === id), 'a rejected call is not listed as open');
});

test('/call/answer accepts through WhatsApp; the contact hangs up; answering the ended call gets 409', async () => {
  const id = await incoming();
  const ended = callEvent(id, 'ended');
  const r = await post('/call/answer', { CallID: id });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Call.State, 'accepted');
  await emuState(id, 'accepted');
  assert.equal(env.emu.calls.get(id).device, `${OWNER_PHONE}:${env.emu.control.devices().find((d) => d.phone === OWNER_PHONE && d.state === "linked")!.device}`);

  const twice = await post('/call/answer', { CallID: id });
  assert.equal(twice.status, 409, 'an answered call is not answered again');

  env.emu.calls.hangup(id);
  const event = await ended;
  assert.equal(event.data.by, 'peer');
  assert.equal(event.data.previous, 'accepted');
  const after = await post('/call/answer', { CallID: id });
  assert.equal(after.status, 409);
  assert.match(after.body.error ?? '', /^CallID: the call is over \(ended/);
  const history = (await status(id)).body.data!.History.map((h) => `${h.State}/${h.By}`);
  assert.deepEqual(history, ['ringing/peer', 'accepted/gateway', 'ended/peer']);
  assert.equal((await post('/call/hangup', { CallID: id })).status, 409);
});

test('/call/hangup ends an answered call on the contact\'s phone, and rejects one still ringing', async () => {
  const answered = await incoming();
  await post('/call/answer', { CallID: answered });
  const r = await post('/call/hangup', { CallID: answered });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Call.State, 'ended');
  await emuState(answered, 'ended');
  assert.equal(env.emu.calls.get(answered).history.at(-1)!.by, 'device');

  const ringing = await incoming();
  const h = await post('/call/hangup', { CallID: ringing });
  assert.equal(h.body.data!.Call.State, 'rejected');
  await emuState(ringing, 'rejected');
});

test('a call nobody answers is missed (WhatsApp\'s timeout, or the caller giving up)', async () => {
  const timedOut = await incoming();
  env.emu.calls.timeout(timedOut);
  assert.equal((await callEvent(timedOut, 'missed')).data.status, 'timeout');
  await wagoState(timedOut, 'missed');

  const cancelled = await incoming(BOB);
  env.emu.calls.hangup(cancelled);
  const event = await callEvent(cancelled, 'missed');
  assert.equal(event.data.status, 'terminate');
  assert.equal(event.data.by, 'peer');
});

test('/call/make offers a call: the contact\'s phone decrypts the call key and rings; it answers, then WaGo hangs up', async () => {
  const r = await post('/call/make', { CallTo: ALICE });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data!.Call.CallID;
  assert.equal(r.body.data!.Call.Direction, 'outgoing');
  assert.equal(r.body.data!.Call.Peer.Jid, `${ALICE}@s.whatsapp.net`);
  await callEvent(id, 'ringing');
  const phoneSide = env.emu.calls.get(id);
  assert.equal(phoneSide.direction, 'incoming');
  assert.equal(phoneSide.contact, ALICE);
  assert.equal(phoneSide.state, 'ringing');
  assert.equal(Buffer.from(phoneSide.callKey ?? '', 'base64').length, 32, 'the phone decrypted a 32-byte call key');

  assert.equal((await post('/call/answer', { CallID: id })).status, 409, 'an outgoing call is not answered by its caller');

  env.emu.calls.accept(id);
  const accepted = await callEvent(id, 'accepted');
  assert.equal(accepted.data.by, 'peer');
  const hang = await post('/call/hangup', { CallID: id });
  assert.equal(hang.body.data!.Call.State, 'ended');
  await emuState(id, 'ended');
  assert.equal(env.emu.calls.get(id).history.at(-1)!.by, 'device');
});

test('/call/make: the contact declines', async () => {
  const r = await post('/call/make', { CallTo: BOB });
  const id = r.body.data!.Call.CallID;
  await callEvent(id, 'ringing');
  env.emu.calls.reject(id);
  const event = await callEvent(id, 'rejected');
  assert.equal(event.data.by, 'peer');
  assert.equal((await status(id)).body.data!.EndReason, 'rejected by the peer');
});

test('a call answered on the account\'s phone ends here "answered on another device" (WhatsApp relays the accept); /call/answer then 409', async () => {
  const id = await incoming();
  const ended = callEvent(id, 'ended');
  env.emu.calls.acceptOnPhone(id);
  const event = await ended;
  assert.equal(event.data.status, 'accept');
  assert.equal(event.data.by, 'other-device');
  assert.equal(event.data.previous, 'ringing');
  assert.equal(event.data.endReason, 'answered on another device');
  const phoneSide = env.emu.calls.get(id);
  assert.equal(phoneSide.state, 'accepted', 'the call goes on between the contact and the phone');
  assert.equal(phoneSide.answeredOn, 'phone');
  assert.equal(phoneSide.device, null, 'no linked device took it');

  const answer = await post('/call/answer', { CallID: id });
  assert.equal(answer.status, 409, JSON.stringify(answer.body));
  assert.match(answer.body.error ?? '', /^CallID: the call is over \(ended: answered on another device\)/);
  assert.equal((await post('/call/reject', { CallID: id })).status, 409);
  const all = await env.wago.call<{ Calls: CallView[] }>('GET', '/call/status', { token });
  assert.ok(!all.body.data!.Calls.some((c) => c.CallID === id), 'not listed as open');

  // the contact and the phone hang up later: WaGo's record of the call stays as it was
  env.emu.calls.hangup(id);
  await emuState(id, 'ended');
  await new Promise((r) => setTimeout(r, 300));
  const kept = (await status(id)).body.data!;
  assert.deepEqual(kept.History.map((h) => `${h.State}/${h.By}`), ['ringing/peer', 'ended/other-device']);
  assert.equal(kept.EndReason, 'answered on another device');
  assert.equal(env.emu.calls.get(id).audio, false, 'no audio was ever set up with WaGo');
});

test('a group call is tracked with its group and published; /call/answer answers 501 (WaGo takes no group calls); /call/reject declines it', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Stand-up', [OWNER_PHONE, BOB]);
  const call = await env.emu.calls.start(ALICE, group.jid);
  assert.equal(call.group, group.jid);
  const event = await callEvent(call.id, 'ringing');
  assert.equal(event.data.isGroup, true);
  assert.equal(event.data.groupJid, group.jid);
  assert.equal(event.data.peer.jid, `${ALICE}@s.whatsapp.net`, 'the peer is the member who calls');
  const view = (await status(call.id)).body.data!;
  assert.equal(view.Group, true);
  assert.equal(view.GroupJid, group.jid);
  assert.equal(view.Direction, 'incoming');
  assert.equal(view.Peer.Jid, `${ALICE}@s.whatsapp.net`);

  const answer = await post('/call/answer', { CallID: call.id });
  assert.equal(answer.status, 501, JSON.stringify(answer.body));
  assert.match(answer.body.error ?? '', /^CallID: this is a group call; WaGo does not answer group calls/);
  assert.equal((await status(call.id)).body.data!.State, 'ringing', 'nothing changed here');
  assert.equal(env.emu.calls.get(call.id).state, 'ringing', 'no accept reached the caller');

  const reject = await post('/call/reject', { CallID: call.id });
  assert.equal(reject.status, 200, JSON.stringify(reject.body));
  assert.equal(reject.body.data!.Call.State, 'rejected');
  await waitFor('the phone saw the member decline', async () => env.emu.calls.get(call.id).declined.includes(OWNER_PHONE));
  assert.equal(env.emu.calls.get(call.id).state, 'ringing', 'the group call rings on for the other members');
  env.emu.calls.hangup(call.id);
  await emuState(call.id, 'missed');

  // a group call nobody here answers: the caller gives up, and it is missed
  const again = await env.emu.calls.start(ALICE, group.jid);
  await callEvent(again.id, 'ringing');
  env.emu.calls.hangup(again.id);
  const missed = await callEvent(again.id, 'missed');
  assert.equal(missed.data.isGroup, true);
  assert.equal(missed.data.groupJid, group.jid);
});

test('bad input: 400 naming the field, 404 for an unknown call; nothing reaches the phone', async () => {
  const before = env.emu.calls.list().length;
  const cases: Array<[string, string, unknown, number, RegExp]> = [
    ['POST', '/call/answer', {}, 400, /^CallID is required/],
    ['POST', '/call/reject', { CallID: 5 }, 400, /^CallID: expected string/],
    ['POST', '/call/hangup', { CallID: 'a b' }, 400, /^CallID: may contain only/],
    ['POST', '/call/answer', { CallID: 'NOSUCHCALL' }, 404, /^CallID: no call NOSUCHCALL/],
    ['POST', '/call/reject', { CallID: 'NOSUCHCALL' }, 404, /^CallID: no call/],
    ['POST', '/call/hangup', { CallID: 'NOSUCHCALL' }, 404, /^CallID: no call/],
    ['GET', '/call/status?callID=NOSUCHCALL', undefined, 404, /^callID: no call/],
    ['POST', '/call/make', {}, 400, /^CallTo is required/],
    ['POST', '/call/make', { CallTo: '120363000000000001@g.us' }, 400, /^CallTo: must be a user/],
    ['POST', '/call/make', { CallTo: 'nope' }, 400, /^CallTo: /],
  ];
  for (const [method, path, body, code, message] of cases) {
    const r = await env.wago.call(method, path, { token, body });
    assert.equal(r.status, code, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error ?? '', message, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal(env.emu.calls.list().length, before);
});

test('call history survives a restart; a call left open by the stopped process is closed as ended', async () => {
  const done = await incoming();
  await post('/call/reject', { CallID: done });
  const open = await incoming(BOB);
  events.socket.close(); // a live socket.io client holds the server's close
  await env.restart();
  const wago = env.wago;
  await waitFor('reconnected', async () => (await wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data?.Connected);
  const kept = await status(done);
  assert.equal(kept.status, 200, JSON.stringify(kept.body));
  assert.deepEqual(kept.body.data!.History.map((h) => h.State), ['ringing', 'rejected']);
  const closed = await waitFor('left-open call closed', async () => {
    const r = await status(open);
    return r.body.data?.State === 'ended' ? r.body.data : undefined;
  });
  assert.equal(closed.EndReason, 'the gateway restarted during the call');
  assert.equal((await post('/call/answer', { CallID: open })).status, 409);
});
