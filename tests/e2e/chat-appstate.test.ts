import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { AppStateMutation } from '../../emulator/appstate/store';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
const ALICE_JID = `${ALICE}@s.whatsapp.net`;

before(async () => {
  // A phone takes a moment to share its app-state key after linking; chat changes wait for it.
  env = await startEmulatedWago({}, { emulator: { appStateKeyDelayMs: 1500 } });
  token = await linkedSession(env, 'chats');
  // A conversation, so archive/read/delete patches have a last message to reference.
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'hello there' });
  await waitFor('stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: sent.id } })).status === 200);
});
after(async () => {
  await env?.stop();
});

/** The phone's view of the newest mutation of an action on a chat. */
function latest(action: string, chat: string): AppStateMutation | undefined {
  return env.emu.control.appState(OWNER_PHONE, { action, chat }).at(-1);
}

async function change(path: string, body: Record<string, unknown>, action: string, chat: string): Promise<AppStateMutation> {
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const r = await env.wago.call<{ Details: string; Chat: string }>('POST', path, { token, body });
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.data!.Chat, chat);
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before + 1, `${path} synced exactly one mutation`);
  const m = latest(action, chat);
  assert.ok(m, `${path}: the phone recorded ${action} for ${chat}`);
  assert.equal(m.chat, chat);
  assert.equal(m.operation, 'set');
  return m;
}

test('right after linking, /chat/pin waits for the phone\'s app-state key share and syncs a pin the phone decrypts', async () => {
  // The key share comes 1.5 s after linking: a call made at once waits for it instead of answering 409.
  const fresh = await linkedSession(env, 'chats-fresh');
  const r = await env.wago.call<{ Details: string }>('POST', '/chat/pin', { token: fresh, body: { Chat: ALICE } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const pinned = r.body.data!;
  assert.equal(pinned.Details, 'Chat pinned');
  const m = latest('pin', ALICE_JID)!;
  assert.equal(m.value.pinned, true);
  assert.equal(m.collection, 'regular_low');
  assert.deepEqual(m.index, ['pin_v1', ALICE_JID]);
  assert.match(m.device, new RegExp(`^${OWNER_PHONE}:\\d+@s\\.whatsapp\\.net$`));
});

test('unpin, archive, mute, read, unread and delete each reach the phone with the right chat and value', async () => {
  assert.ok(!(await change('/chat/unpin', { Chat: ALICE }, 'pin', ALICE_JID)).value.pinned);
  const archived = await change('/chat/archive', { Chat: `+${ALICE}` }, 'archive', ALICE_JID);
  assert.equal(archived.value.archived, true);
  assert.equal(archived.collection, 'regular_low');
  const muted = await change('/chat/mute', { Chat: ALICE }, 'mute', ALICE_JID);
  assert.equal(muted.value.muted, true);
  assert.equal(muted.value.muteEndTimestamp, -1, 'muted forever by default');
  const t0 = Date.now();
  const hour = await change('/chat/mute', { Chat: ALICE, Duration: 3600 }, 'mute', ALICE_JID);
  assert.ok(Math.abs(Number(hour.value.muteEndTimestamp) - (t0 + 3_600_000)) < 60_000);
  assert.ok(!(await change('/chat/mute', { Chat: ALICE, Duration: 0 }, 'mute', ALICE_JID)).value.muted);
  assert.equal((await change('/chat/read', { Phone: ALICE }, 'markChatAsRead', ALICE_JID)).value.read, true);
  assert.ok(!(await change('/chat/unread', { Phone: ALICE }, 'markChatAsRead', ALICE_JID)).value.read);
  const deleted = await change('/chat/delete', { Phone: ALICE }, 'deleteChat', ALICE_JID);
  assert.deepEqual(deleted.index, ['deleteChat', ALICE_JID, '1']);
  assert.equal(deleted.collection, 'regular_high');
  // The patches chain: versions of a collection only grow.
  const low = env.emu.control.appState(OWNER_PHONE).filter((m) => m.collection === 'regular_low').map((m) => m.version);
  assert.deepEqual(low, [...low].sort((a, b) => a - b));
  assert.equal(new Set(low).size, low.length);
});

test('the control API lists the decoded mutations', async () => {
  const res = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/appstate?action=pin&chat=${ALICE}`);
  assert.equal(res.status, 200);
  const list = (await res.json()) as AppStateMutation[];
  assert.deepEqual(list.map((m) => Boolean(m.value.pinned)), [true, false]);
});

test('bad input: 400 naming the field; nothing is synced', async () => {
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/chat/pin', {}, /^Chat is required/],
    ['/chat/unpin', { Chat: 5 }, /^Chat: expected string/],
    ['/chat/archive', { Chat: 'nope' }, /^Chat: must be a phone number/],
    ['/chat/archive', { Chat: ALICE, Archive: 'yes' }, /^Archive: expected boolean/],
    ['/chat/mute', { Chat: '' }, /^Chat: must not be empty/],
    ['/chat/mute', { Chat: ALICE, Duration: -5 }, /^Duration: /],
    ['/chat/mute', { Chat: ALICE, Duration: 1.5 }, /^Duration: must be a whole number/],
    ['/chat/delete', { Chat: ALICE }, /^Phone is required/],
    ['/chat/read', { Phone: '12' }, /^Phone: must have 7 to 15 digits/],
    ['/chat/unread', { Phone: 'x@example.com' }, /^Phone: must be a phone number or a WhatsApp JID/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}`);
    assert.match(r.body.error!, message, path);
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
  assert.equal(env.emu.control.appState(BOB).length, 0);
});

test('an app-state conflict is retried once: one conflict still lands the change, two answer 409 and change nothing', async () => {
  // Another device pushed first once: WaGo resyncs and pushes again.
  env.emu.control.injectAppStateConflicts(OWNER_PHONE, 1);
  const pinned = await change('/chat/pin', { Chat: BOB }, 'pin', `${BOB}@s.whatsapp.net`);
  assert.equal(pinned.value.pinned, true);
  // Twice in a row: the caller is told to try again, and the phone saw no change.
  env.emu.control.injectAppStateConflicts(OWNER_PHONE, 2);
  const before = env.emu.control.appState(OWNER_PHONE).length;
  const refused = await env.wago.call('POST', '/chat/unpin', { token, body: { Chat: BOB } });
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.error!, /app-state conflict/);
  assert.equal(env.emu.control.appState(OWNER_PHONE).length, before);
  assert.equal(env.emu.control.injectAppStateConflicts(OWNER_PHONE, 0), 0);
});
