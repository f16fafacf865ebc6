import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';

interface Status {
  Connected: boolean;
  LoggedIn: boolean;
  State: string;
  Jid: string | null;
  Lid: string | null;
  LastError: string | null;
}

let env: EmulatedWago;
before(async () => {
  env = await startEmulatedWago({ WAGO_QR_TIMEOUT_MS: '1500' });
});
after(async () => {
  await env?.stop();
});

async function newSession(name: string): Promise<{ token: string; id: string }> {
  const r = await env.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } });
  assert.equal(r.status, 200);
  return { token: r.body.data!.token, id: r.body.data!.session.id };
}

const status = async (token: string) => (await env.wago.call<Status>('GET', '/session/status', { token })).body.data!;
const keyCount = (sessionId: string) => env.wago.runtime.prisma.sessionKey.count({ where: { sessionId } });
const hasCreds = async (sessionId: string) => (await env.wago.runtime.prisma.sessionAuth.count({ where: { sessionId } })) === 1;

async function linkByQr(token: string): Promise<Status> {
  const connect = await env.wago.call<Status>('POST', '/session/connect', { token, body: { Subscribe: 'All' } });
  assert.equal(connect.status, 200, JSON.stringify(connect.body));
  assert.equal(connect.body.data!.State, 'qr');
  const qr = await env.wago.call<{ QRCode: string; Code: string; ExpiresAt: string }>('GET', '/session/qr', { token });
  assert.equal(qr.status, 200);
  assert.match(qr.body.data!.QRCode, /^data:image\/png;base64,/);
  assert.match(qr.body.data!.Code, /^https:\/\/wa\.me\/settings\/linked_devices#/);
  await env.emu.control.scanQr(qr.body.data!.Code, OWNER_PHONE);
  return waitFor('connected', async () => {
    const s = await status(token);
    return s.Connected ? s : undefined;
  });
}

test('link by QR: connected only after open, keys in PostgreSQL encrypted; events flow over socket.io', async () => {
  const { token, id } = await newSession('qr');
  const live = await listen(env.wago.url, token);
  const s = await linkByQr(token);
  assert.equal(s.State, 'connected');
  assert.equal(s.LoggedIn, true);
  assert.match(s.Jid!, new RegExp(`^${OWNER_PHONE}@s\\.whatsapp\\.net$`));
  assert.match(s.Lid ?? '', /@lid$/);
  await live.next('QR');
  await live.next('Connected');
  const paired = (await live.next('PairSuccess')).data as { jid: string | null; lid: string | null; platform: string | null };
  assert.equal(paired.jid, `${OWNER_PHONE}@s.whatsapp.net`, 'PairSuccess names the linked account');
  assert.match(paired.lid ?? '', /@lid$/);
  assert.ok(await hasCreds(id));
  assert.ok((await keyCount(id)) > 0);
  const sample = await env.wago.runtime.prisma.sessionKey.findFirstOrThrow({ where: { sessionId: id } });
  assert.equal(Buffer.from(sample.value).includes(Buffer.from('"type":"Buffer"')), false, 'keys are stored encrypted');

  // A contact writes: the message arrives as a Message event with PN and LID of the sender.
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'hello gateway' });
  const message = await live.next('Message', (e) => (e.data as { text?: string }).text === 'hello gateway');
  const from = (message.data as { from: { jid: string | null; lid: string | null } }).from;
  assert.equal(from.jid, `${ALICE}@s.whatsapp.net`);
  assert.match(from.lid ?? '', /@lid$/);
  live.socket.close();

  // disconnect keeps the link; connect logs in again without a QR
  const disconnected = await env.wago.call<Status>('POST', '/session/disconnect', { token });
  assert.equal(disconnected.body.data!.State, 'disconnected');
  assert.equal(disconnected.body.data!.LoggedIn, true);
  const qrWhileDown = await env.wago.call('GET', '/session/qr', { token });
  assert.equal(qrWhileDown.status, 409);
  const again = await env.wago.call<Status>('POST', '/session/connect', { token });
  assert.equal(again.body.data!.State, 'connected');
  const alreadyIn = await env.wago.call('GET', '/session/qr', { token });
  assert.equal(alreadyIn.status, 409);
  assert.match(alreadyIn.body.error!, /already logged in/);

  // restart WaGo: the session comes back connected from PostgreSQL, no QR
  await env.restart({ WAGO_QR_TIMEOUT_MS: '1500' });
  const restored = await waitFor('restored', async () => {
    const st = await status(token);
    return st.Connected ? st : undefined;
  });
  assert.equal(restored.Jid, s.Jid);

  // logout from WaGo: unlinked at WhatsApp, keys gone
  const out = await env.wago.call<Status>('POST', '/session/logout', { token });
  assert.equal(out.body.data!.State, 'logged_out');
  assert.equal(out.body.data!.LoggedIn, false);
  assert.equal(await keyCount(id), 0);
  assert.equal(await hasCreds(id), false);
  const stillLinked = env.emu.control.devices().filter((d) => d.jid.startsWith(`${OWNER_PHONE}:`) && d.state !== 'removed');
  assert.deepEqual(stillLinked, [], 'the phone no longer lists the device');
});

test('link by pairing code, then unlink from the phone → logged_out with keys gone', async () => {
  const { token, id } = await newSession('pair');
  const bad = await env.wago.call('POST', '/session/pair', { token, body: { Phone: 'abc' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error!, /^Phone/);
  const pair = await env.wago.call<{ LinkingCode: string }>('POST', '/session/pair', { token, body: { Phone: OWNER_PHONE } });
  assert.equal(pair.status, 200, JSON.stringify(pair.body));
  assert.match(pair.body.data!.LinkingCode, /^[A-Z0-9]{8}$/);
  await env.emu.control.enterCode(pair.body.data!.LinkingCode, { phone: OWNER_PHONE });
  const connected = await waitFor('connected', async () => {
    const s = await status(token);
    return s.Connected ? s : undefined;
  });
  assert.ok(connected.Jid);
  const scanned = await env.wago.call<Array<{ id: string }>>('POST', '/session/scanned', { admin: true });
  assert.ok(scanned.body.data!.some((s) => s.id === id));

  const device = env.emu.control.devices().find((d) => d.state !== 'removed' && d.jid.startsWith(`${OWNER_PHONE}:`) && connected.Jid !== null);
  assert.ok(device);
  const live = await listen(env.wago.url, token);
  for (const d of env.emu.control.devices().filter((x) => x.state !== 'removed')) env.emu.control.unlink(d.jid);
  const loggedOut = await live.next('LoggedOut');
  assert.equal((loggedOut.data as { by: string }).by, 'phone');
  const after = await status(token);
  assert.equal(after.State, 'logged_out');
  assert.equal(await keyCount(id), 0);
  assert.equal(await hasCreds(id), false);
  live.socket.close();
});

test('an unscanned QR expires and the session stops instead of looping', async () => {
  const { token } = await newSession('expiry');
  const live = await listen(env.wago.url, token);
  await env.wago.call('POST', '/session/connect', { token, body: { Immediate: true } });
  const st = await waitFor('QR expiry', async () => {
    const s = await status(token);
    return s.State === 'disconnected' && s.LastError ? s : undefined;
  }, 90_000);
  assert.match(st.LastError!, /QR code expired/);
  const qrCount = live.events.filter((e) => e.type === 'QR').length;
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(live.events.filter((e) => e.type === 'QR').length, qrCount, 'no new QR after expiry');
  assert.equal((await status(token)).State, 'disconnected');
  live.socket.close();
});
