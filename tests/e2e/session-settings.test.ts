import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import type { WagoEvent } from '../../server/events/types';
import type { SessionSettingsView } from '../../server/services/session-settings.service';

const BOB = '15550002002';
let env: EmulatedWago;
let token: string;
let events: Awaited<ReturnType<typeof listen>>;

/** Per-session settings (WaGo extensions) enforced by the engine, checked on the emulated contacts' side. */
before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'settings');
  events = await listen(env.wago.url, token);
});
after(async () => {
  events?.socket.close();
  await env?.stop();
});

const settings = (body?: Partial<SessionSettingsView>) =>
  body ? env.wago.call<SessionSettingsView>('POST', '/session/settings', { token, body }) : env.wago.call<SessionSettingsView>('GET', '/session/settings', { token });

const messageEvent = (id: string) => events.next('Message', (e) => (e.data as { id?: string }).id === id);
const stored = async (id: string) => (await env.wago.call('POST', '/message/status', { token, body: { Id: id } })).status === 200;

test('GET /session/settings answers the defaults; POST changes only the fields sent; bad input is a 400 naming the field', async () => {
  const first = await settings();
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body.data, { RejectCalls: false, RejectCallMessage: null, IgnoreGroups: false, IgnoreStatus: false, AlwaysOnline: false, ReadOnReceipt: false });
  const changed = await settings({ IgnoreStatus: true });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.data!.IgnoreStatus, true);
  assert.equal(changed.body.data!.IgnoreGroups, false);
  assert.equal((await settings()).body.data!.IgnoreStatus, true, 'stored');
  const bad = await env.wago.call('POST', '/session/settings', { token, body: { RejectCalls: 'yes' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error ?? '', /^RejectCalls: /);
  assert.equal((await env.wago.call('GET', '/session/settings', {})).status, 401);
  const doc = await env.wago.call<unknown>('GET', '/openapi.json');
  const paths = (doc.body as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
  assert.ok(paths['/session/settings']?.get && paths['/session/settings']?.post, 'both routes are in /openapi.json');
  await settings({ IgnoreStatus: false });
});

test('RejectCalls: an incoming call is rejected at once (the caller sees it declined) and the caller gets the message', async () => {
  await settings({ RejectCalls: true, RejectCallMessage: 'Calls are not answered here; please write.' });
  const call = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await waitFor('the call rejected on the phone', async () => env.emu.calls.get(call.id).state === 'rejected');
  const text = await waitFor('the message at Alice', async () => env.emu.control.received(ALICE, { from: OWNER_PHONE }).find((m) => m.text === 'Calls are not answered here; please write.'));
  assert.equal(text.fromPhone, OWNER_PHONE);
  const status = await env.wago.call<{ State: string }>('GET', `/call/status?callID=${call.id}`, { token });
  assert.equal(status.body.data!.State, 'rejected');

  // without a message, only the rejection
  await settings({ RejectCallMessage: '' });
  const before = env.emu.control.received(ALICE, { from: OWNER_PHONE }).length;
  const second = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await waitFor('the second call rejected', async () => env.emu.calls.get(second.id).state === 'rejected');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(ALICE, { from: OWNER_PHONE }).length, before, 'no text sent');

  // switched off: calls ring again
  await settings({ RejectCalls: false });
  const third = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await events.next('Call', (e) => (e as WagoEvent<'Call'>).data.id === third.id && (e as WagoEvent<'Call'>).data.state === 'ringing');
  assert.equal(env.emu.calls.get(third.id).state === 'rejected', false);
  await env.wago.call('POST', '/call/hangup', { token, body: { CallID: third.id } });
});

test('IgnoreGroups: group messages are neither stored nor emitted; 1:1 messages still are', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Ignored club', [OWNER_PHONE, BOB]);
  const seen = await env.emu.control.groupSend(group.jid, ALICE, { text: 'before' });
  await messageEvent(seen);
  await settings({ IgnoreGroups: true });
  const ignored = await env.emu.control.groupSend(group.jid, BOB, { text: 'ignored' });
  const direct = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'direct' });
  await messageEvent(direct.id);
  await waitFor('the direct message stored', () => stored(direct.id));
  assert.ok(!events.events.some((e) => e.type === 'Message' && (e.data as { id?: string }).id === ignored), 'no event for the group message');
  assert.equal(await stored(ignored), false, 'the group message is not stored');
  await settings({ IgnoreGroups: false });
  const again = await env.emu.control.groupSend(group.jid, BOB, { text: 'seen again' });
  await messageEvent(again);
});

test('IgnoreStatus: a contact\'s status post is neither stored nor emitted; with it off, it arrives as a Message from status@broadcast', async () => {
  const shown = await env.emu.control.statusPost(ALICE, { text: 'my holiday', to: [OWNER_PHONE] });
  const event = await messageEvent(shown);
  assert.match(JSON.stringify(event.data), /status@broadcast/);
  await waitFor('the status stored', () => stored(shown));
  await settings({ IgnoreStatus: true });
  const ignored = await env.emu.control.statusPost(ALICE, { text: 'ignored story', to: [OWNER_PHONE] });
  const direct = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'after the story' });
  await messageEvent(direct.id);
  await waitFor('the direct message stored', () => stored(direct.id));
  assert.ok(!events.events.some((e) => e.type === 'Message' && (e.data as { id?: string }).id === ignored), 'no event for the status');
  assert.equal(await stored(ignored), false, 'the status is not stored');
  await settings({ IgnoreStatus: false });
});

test('ReadOnReceipt: an incoming message is marked read at once (the sender sees the read receipt)', async () => {
  const plain = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'not read' });
  await messageEvent(plain.id);
  await settings({ ReadOnReceipt: true });
  const read = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'read me' });
  await waitFor('read receipt at Alice', async () => env.emu.control.sent(ALICE).find((m) => m.id === read.id)?.status === 'read');
  assert.notEqual(env.emu.control.sent(ALICE).find((m) => m.id === plain.id)?.status, 'read', 'the earlier message, before the setting, stays unread');
  await settings({ ReadOnReceipt: false });
});

test('AlwaysOnline: the session is announced available on connect; switching it off and on sends the presence at once', async () => {
  const owner = () => env.emu.control.listAccounts().find((a) => a.phone === OWNER_PHONE)!;
  const presence = (Presence: string) => env.wago.call('POST', '/user/presence', { token, body: { Presence } });
  assert.equal((await presence('unavailable')).status, 200);
  await waitFor('owner unavailable', async () => owner().presence === 'unavailable');
  await env.wago.call('POST', '/session/disconnect', { token });
  const on = await settings({ AlwaysOnline: true });
  assert.equal(on.body.data!.AlwaysOnline, true);
  assert.equal(owner().presence, 'unavailable', 'nothing sent while disconnected');
  await env.wago.call('POST', '/session/connect', { token });
  await waitFor('connected again', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data!.Connected);
  await waitFor('owner available after connecting', async () => owner().presence === 'available');
  await settings({ AlwaysOnline: false });
  await waitFor('owner unavailable once switched off', async () => owner().presence === 'unavailable');
  await settings({ AlwaysOnline: true });
  await waitFor('owner available once switched on', async () => owner().presence === 'available');
});
