import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { waitFor, OWNER_PHONE, emulatorEnv } from '../helpers/emulated-wago';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// Needs the production build of the dashboard (`npm test` builds it when stale).
let emu: Emulator;
let db: TestDatabase;
const processes: WagoProcess[] = [];

after(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await emu?.stop();
  await db?.drop();
});

test('two processes: a dashboard call reaching the process that does not run the session is run by its owner', async () => {
  emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  db = await createTestDatabase();
  const env = {
    DATABASE_URL: db.url,
    WAGO_ADMIN_TOKEN: 'dashboard-multi-process-admin-0123',
    WAGO_ADMIN_EMAIL: ADMIN_EMAIL,
    WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...emulatorEnv(emu),
    WAGO_DISABLE_NEXT: '0',
  };
  const a = await spawnWago(env);
  processes.push(a);
  const b = await spawnWago(env);
  processes.push(b);
  const onA = await signIn(a.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  assert.ok(onA, 'signed in on A');
  const onB = await signIn(b.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  assert.ok(onB, 'signed in on B: one admin account, created once');

  const created = await trpc<{ session: { id: string } }>(a.url, onA, 'session.create', { name: 'spread' }, { mutation: true });
  const sessionId = created.data!.session.id;
  // B starts linking, so B runs the session; A's cookie works on B too (same derived secret).
  const started = await trpc<{ State: string }>(b.url, onA, 'session.connect', { sessionId }, { mutation: true });
  assert.equal(started.status, 200, started.error?.message);
  const qr = await waitFor('the QR through A', async () => (await trpc<{ Code: string }>(a.url, onA, 'session.qr', { sessionId })).data?.Code);
  await emu.control.scanQr(qr, OWNER_PHONE);
  const status = await waitFor('connected, read through A', async () => {
    const s = await trpc<{ Connected: boolean; Jid: string }>(a.url, onA, 'session.status', { sessionId });
    return s.data?.Connected ? s.data : undefined;
  });
  assert.match(status.Jid, new RegExp(`^${OWNER_PHONE}`));
  const sent = await trpc<{ Id: string }>(a.url, onA, 'message.sendText', { sessionId, phone: '15550002001', body: 'via A, sent by B' }, { mutation: true });
  assert.equal(sent.status, 200, sent.error?.message);
  const [got] = await emu.control.waitForReceived('15550002001', { predicate: (m) => m.id === sent.data!.Id, timeoutMs: 15_000 });
  assert.equal(got!.text, 'via A, sent by B');

  // The Groups and Contacts panels' calls need the socket too: A forwards them to B.
  const group = emu.control.createGroup('15550002001', 'Spread group', [OWNER_PHONE]);
  const groups = await waitFor('the group through A', async () => {
    const r = await trpc<{ Groups: Array<{ JID: string; Size: number }> }>(a.url, onA, 'group.list', { sessionId });
    return r.data?.Groups.find((g) => g.JID === group.jid);
  });
  assert.equal(groups.Size, 2);
  const renamed = await trpc(a.url, onA, 'group.rename', { sessionId, groupJid: group.jid, name: 'Renamed via A' }, { mutation: true });
  assert.equal(renamed.status, 200, renamed.error?.message);
  assert.equal(emu.control.group(group.jid).subject, 'Renamed via A');
  const blocked = await trpc(a.url, onA, 'contact.block', { sessionId, phone: '15550002001' }, { mutation: true });
  assert.equal(blocked.status, 200, blocked.error?.message);
  assert.ok(emu.world.getByPhone(OWNER_PHONE)!.blocklist.has('15550002001@s.whatsapp.net'), 'the emulated server holds the block');
  const list = await trpc<{ Users: Array<{ Jid: string }> }>(a.url, onA, 'contact.blocklist', { sessionId });
  assert.deepEqual(list.data?.Users.map((u) => u.Jid), ['15550002001@s.whatsapp.net']);

  // The call console's calls need the socket and the call's media hub: A forwards them to B.
  const call = await emu.calls.start('15550002002', OWNER_PHONE);
  await waitFor('the call ringing, seen through A', async () => {
    const r = await trpc<{ Calls: Array<{ CallID: string; State: string }> }>(a.url, onA, 'calls.active', { sessionId });
    return r.data?.Calls.some((c) => c.CallID === call.id && c.State === 'ringing');
  });
  const answered = await trpc(a.url, onA, 'calls.answer', { sessionId, callId: call.id }, { mutation: true });
  assert.equal(answered.status, 200, answered.error?.message);
  await waitFor("the contact's audio connected", async () => emu.calls.get(call.id).audio);
  const rec = await trpc<{ Path: string }>(a.url, onA, 'calls.record', { sessionId, callId: call.id, path: 'via-a.wav' }, { mutation: true });
  assert.equal(rec.status, 200, rec.error?.message);
  const stopped = await trpc<{ Bytes: number }>(a.url, onA, 'calls.recordStop', { sessionId, callId: call.id }, { mutation: true });
  assert.equal(stopped.status, 200, stopped.error?.message);
  const recordings = await trpc<{ Recordings: Array<{ Path: string }> }>(a.url, onA, 'calls.recordings', { sessionId });
  assert.deepEqual(recordings.data?.Recordings.map((r) => r.Path), ['via-a.wav']);
  // its download through A comes from B's disk
  const download = await fetch(`${a.url}/api/call-recordings?${new URLSearchParams({ sessionId, path: 'via-a.wav' })}`, { headers: { cookie: onA } });
  assert.equal(download.status, 200);
  const wav = Buffer.from(await download.arrayBuffer());
  assert.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.equal(wav.length, stopped.data!.Bytes);
  const hungUp = await trpc(a.url, onA, 'calls.hangup', { sessionId, callId: call.id }, { mutation: true });
  assert.equal(hungUp.status, 200, hungUp.error?.message);
  assert.equal(emu.calls.get(call.id).state, 'ended', "the contact's phone saw the call end");
  const history = await trpc<{ Calls: Array<{ CallID: string; State: string }> }>(a.url, onA, 'calls.history', { sessionId });
  assert.equal(history.data?.Calls.find((c) => c.CallID === call.id)?.State, 'ended');

  const live = emu.control.connections().filter((c) => c.loggedIn && c.device?.startsWith(`${OWNER_PHONE}:`));
  assert.equal(live.length, 1, 'one connection: A did not take the session over');
});
