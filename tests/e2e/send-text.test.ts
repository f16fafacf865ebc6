import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession, type SendAnswer } from '../helpers/emulated-wago';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';

interface StatusAnswer {
  Status: string;
  History: Array<{ Status: string; Participant?: string | null }>;
}

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'sender');
});
after(async () => {
  await env?.stop();
});

test('a session that is not connected refuses to send (409); nothing is sent', async () => {
  const init = await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: 'unlinked' } });
  const before = env.emu.control.received(ALICE).length;
  const early = await env.wago.call('POST', '/send/text', { token: init.body.data!.token, body: { Phone: ALICE, Body: 'too early' } });
  assert.equal(early.status, 409);
  assert.match(early.body.error!, /not connected/);
  assert.equal(env.emu.control.received(ALICE).length, before);
});

test('POST /send/text: the contact decrypts exactly the text; the answer carries id, timestamp, JID and LID', async () => {
  const body = 'Olá 👋 — exact text, with unicode';
  const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: `+${ALICE}`, Body: body } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const answer = r.body.data!;
  assert.equal(answer.Jid, `${ALICE}@s.whatsapp.net`);
  assert.match(answer.Lid ?? '', /@lid$/);
  assert.ok(Math.abs(answer.Timestamp - Date.now() / 1000) < 60);
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === answer.Id, timeoutMs: 10_000 });
  assert.equal(got.text, body);
  assert.equal(got.fromPhone, OWNER_PHONE);
});

test('a chosen Id is used; a reply quotes the message; mentions are carried', async () => {
  const first = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'original', Id: 'WAGO-TEST-0001' } });
  assert.equal(first.body.data!.Id, 'WAGO-TEST-0001');
  const reply = await env.wago.call<SendAnswer>('POST', '/send/text', {
    token,
    body: { Phone: ALICE, Body: 'this is a reply', ContextInfo: { StanzaId: 'WAGO-TEST-0001', MentionedJID: [BOB] } },
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === reply.body.data!.Id, timeoutMs: 10_000 });
  assert.equal(got.text, 'this is a reply');
  assert.equal(got.quotedId, 'WAGO-TEST-0001');
  assert.match(JSON.stringify(got.message), new RegExp(`${BOB}@s\\.whatsapp\\.net`));
});

test('receipts flow into /message/status: sent → delivered → read, with history', async () => {
  const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: 'track me' } });
  const id = r.body.data!.Id;
  await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === id, timeoutMs: 10_000 });
  const delivered = await waitFor('delivered', async () => {
    const s = await env.wago.call<StatusAnswer>('POST', '/message/status', { token, body: { Id: id } });
    return s.status === 200 && s.body.data!.Status === 'delivered' ? s.body.data! : undefined;
  });
  assert.ok(delivered.History.some((h) => h.Status === 'delivered'));
  env.emu.control.receipt(ALICE, [id], 'read');
  const read = await waitFor('read', async () => {
    const s = await env.wago.call<StatusAnswer>('POST', '/message/status', { token, body: { Id: id } });
    return s.body.data?.Status === 'read' ? s.body.data : undefined;
  });
  assert.deepEqual(read.History.map((h) => h.Status).filter((s) => s !== 'sent'), ['delivered', 'read']);
});

test('bad input: 400 naming the field, nothing is sent', async () => {
  const before = env.emu.control.received(BOB).length;
  const cases: Array<[unknown, RegExp]> = [
    [{ Body: 'x' }, /^Phone is required/],
    [{ Phone: BOB }, /^Body is required/],
    [{ Phone: 'not-a-number', Body: 'x' }, /^Phone: must be a phone number/],
    [{ Phone: '123', Body: 'x' }, /^Phone: must have 7 to 15 digits/],
    [{ Phone: 'x@example.com', Body: 'x' }, /^Phone: must be a phone number or a WhatsApp JID/],
    [{ Phone: BOB, Body: '' }, /^Body: must not be empty/],
    [{ Phone: BOB, Body: 5 }, /^Body: expected string/],
    [{ Phone: BOB, Body: 'x', Id: 'bad id!' }, /^Id: may contain only/],
    [{ Phone: BOB, Body: 'x', ContextInfo: { MentionedJID: 'x' } }, /^ContextInfo\.MentionedJID: expected array/],
  ];
  for (const [body, message] of cases) {
    const r = await env.wago.call('POST', '/send/text', { token, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.body.error!, message);
  }
  assert.equal((await env.wago.call('POST', '/message/status', { token, body: { Id: 'NOPE' } })).status, 404);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(BOB).length, before, 'nothing reached the contact');
});

test('incoming messages are stored and their status is "received"', async () => {
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'stored please' });
  const stored = await waitFor('stored', async () => {
    const s = await env.wago.call<StatusAnswer & { FromMe: boolean }>('POST', '/message/status', { token, body: { Id: sent.id } });
    return s.status === 200 ? s.body.data : undefined;
  });
  assert.equal(stored.Status, 'received');
  assert.equal(stored.FromMe, false);
});

test('a contact gets one privacy-token request, not one per send', async () => {
  const CAROL = '15550002003';
  const issued = () => env.emu.context.stats.privacyTokensIssued;
  const before = issued();
  const send = async (i: number) => {
    const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: CAROL, Body: `token ${i}` } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await env.emu.control.waitForReceived(CAROL, { predicate: (m) => m.id === r.body.data!.Id, timeoutMs: 10_000 });
  };
  await send(0);
  // The first send to a contact issues our token to it (fire-and-forget, after the send).
  await waitFor('the token request', async () => issued() === before + 1);
  // Its answer comes back while later sends go on; the token's record must be kept, so none asks again.
  for (let i = 1; i <= 5; i++) {
    await send(i);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(issued(), before + 1, 'one token request for the contact');
});

test('a contact asking again for a message after a restart gets it re-sent from the message store', async () => {
  const r = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: BOB, Body: 'please ask me again' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data!.Id;
  await env.emu.control.waitForReceived(BOB, { predicate: (m) => m.id === id, timeoutMs: 10_000 });
  await waitFor('stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: id } })).status === 200);
  // A restart empties Baileys' in-memory cache of recent sends: only the store still has the message.
  await env.restart();
  await waitFor('reconnected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data?.Connected);
  env.emu.control.requestResend(BOB, id);
  const copies = await env.emu.control.waitForReceived(BOB, { predicate: (m) => m.id === id && !m.ownDeviceCopy, count: 2, timeoutMs: 15_000 });
  assert.equal(copies.length, 2);
  assert.equal(copies[1].text, 'please ask me again', 'the re-sent copy decrypts to the same text');
});

test('Phone as a LID JID or a group JID: the contact, and each group member, decrypts the text', async () => {
  const aliceLid = env.emu.control.listAccounts().find((a) => a.phone === ALICE)!.lid;
  const byLid = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: aliceLid, Body: 'to your LID' } });
  assert.equal(byLid.status, 200, JSON.stringify(byLid.body));
  assert.equal(byLid.body.data!.Jid, aliceLid);
  const [gotByLid] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === byLid.body.data!.Id, timeoutMs: 10_000 });
  assert.equal(gotByLid.text, 'to your LID');
  assert.equal(gotByLid.fromPhone, OWNER_PHONE);

  const live = await listen(env.wago.url, token);
  const group = env.emu.control.createGroup(OWNER_PHONE, 'Senders', [ALICE, BOB]);
  const inGroup = await env.wago.call<SendAnswer>('POST', '/send/text', { token, body: { Phone: group.jid, Body: 'hello group' } });
  assert.equal(inGroup.status, 200, JSON.stringify(inGroup.body));
  assert.equal(inGroup.body.data!.Jid, group.jid);
  for (const member of [ALICE, BOB]) {
    const [got] = await env.emu.control.waitForReceived(member, { predicate: (m) => m.id === inGroup.body.data!.Id, timeoutMs: 10_000 });
    assert.equal(got.text, 'hello group', `${member} decrypted the group text`);
    assert.equal(got.group, group.jid);
  }
  // Members' delivery receipts reach /message/status, each in the history with its sender.
  const delivered = await waitFor('group delivery', async () => {
    const st = await env.wago.call<StatusAnswer>('POST', '/message/status', { token, body: { Id: inGroup.body.data!.Id } });
    return st.body.data?.Status === 'delivered' ? st.body.data : undefined;
  });
  const members = env.emu.control.listAccounts().filter((a) => a.phone === ALICE || a.phone === BOB);
  for (const member of members) {
    assert.ok(
      delivered.History.some((h) => h.Status === 'delivered' && (h.Participant === member.jid || h.Participant === member.lid)),
      `${member.phone}'s delivery is in the history: ${JSON.stringify(delivered.History)}`,
    );
  }
  // …and reach the live events as ReadReceipts naming the group and the member.
  await live.next('ReadReceipt', (e) => {
    const d = e.data as { messageIds: string[]; chat: { jid: string | null }; type: string };
    return d.messageIds.includes(inGroup.body.data!.Id) && d.chat.jid === group.jid && d.type === 'delivered';
  });
  live.socket.close();
});
