import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { EMULATOR_TLS_CERT } from '../../emulator/media/tls';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { listen, OWNER_PHONE, waitFor } from '../helpers/emulated-wago';

// WaGo verifies WhatsApp's certificate chain (and the account signature at pairing) always: with
// WhatsApp's own root key unless WAGO_WA_ROOT_KEY names another. The WaGos below run one after
// another (the trusted root is process-wide, as Baileys keeps it).
let emu: Emulator;
let db: TestDatabase;
let wago: TestWago | undefined;

type Status = { State: string; Connected: boolean; LastError: string | null };
type StateEvent = { state: string; reason: string | null };

before(async () => {
  emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  db = await createTestDatabase();
});
after(async () => {
  await wago?.stop();
  await emu?.stop();
  await db?.drop();
});

/** A WaGo on the shared database; the lease heartbeat and orphan scan run every 500 ms. */
async function startWith(rootKey: string | undefined, emulator: Emulator = emu): Promise<TestWago> {
  await wago?.stop();
  const env: Record<string, string> = { WAGO_WA_WS_URL: emulator.wsUrl, WAGO_WA_MEDIA_CA: EMULATOR_TLS_CERT, WAGO_LEASE_TTL_MS: '1500' };
  if (rootKey) env.WAGO_WA_ROOT_KEY = rootKey;
  wago = await startTestWago({ databaseUrl: db.url, env });
  return wago;
}

async function newSession(w: TestWago, name: string): Promise<string> {
  const init = await w.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: name } });
  return init.body.data!.token;
}

async function status(w: TestWago, token: string): Promise<Status> {
  return (await w.call<Status>('GET', '/session/status', { token })).body.data!;
}

/** After the failure, the session stays failed and WaGo opens no further connection. */
async function assertNoRetries(w: TestWago, token: string, events: Array<{ type: string; data: unknown }>): Promise<void> {
  // A window of several lease heartbeats and orphan scans, in which a retry loop would show.
  await new Promise((r) => setTimeout(r, 2500));
  const attempts = events.filter((e) => e.type === 'StateChanged' && (e.data as StateEvent).state === 'connecting');
  assert.equal(attempts.length, 1, `one connection attempt, no retries (saw ${attempts.length})`);
  assert.equal((await status(w, token)).State, 'failed');
}

let refusedToken = '';

async function expectRefusedServer(w: TestWago, name: string): Promise<void> {
  const token = await newSession(w, name);
  const live = await listen(w.url, token);
  await w.call('POST', '/session/connect', { token });
  const failed = await live.next('StateChanged', (e) => (e.data as StateEvent).state === 'failed', 15_000);
  const why = /^server refused: its certificate does not chain to the trusted WhatsApp root key \(noise intermediate certificate signature invalid\)$/;
  assert.match(String((failed.data as StateEvent).reason), why);
  const s = await status(w, token);
  assert.equal(s.Connected, false);
  assert.match(String(s.LastError), why);
  await assertNoRetries(w, token, live.events);
  live.socket.close();
  assert.equal(emu.control.pendingQrs().length, 0, 'the emulator never got as far as showing a QR code');
  refusedToken = token;
}

test("without WAGO_WA_ROOT_KEY only WhatsApp's own root is trusted: the emulator is refused", async () => {
  await expectRefusedServer(await startWith(undefined), 'no-root-key');
});

test('with a wrong WAGO_WA_ROOT_KEY the emulator is refused', async () => {
  await expectRefusedServer(await startWith(randomBytes(32).toString('hex')), 'wrong-root-key');
});

test("with the emulator's root key the session links; a failed session connects again on request", async () => {
  const w = await startWith(emu.rootPublicKey.toString('hex'));
  const token = refusedToken; // the session refused just before, under the wrong root key
  assert.equal((await status(w, token)).State, 'failed');
  await w.call('POST', '/session/connect', { token });
  const qr = await waitFor('qr', async () => (await w.call<{ Code: string }>('GET', '/session/qr', { token })).body.data?.Code);
  await emu.control.scanQr(qr, OWNER_PHONE);
  await waitFor('connected', async () => (await status(w, token)).Connected);
  assert.equal((await status(w, token)).LastError, null);
  assert.ok(emu.control.devices().some((d) => d.phone === OWNER_PHONE));
  await w.call('POST', '/session/logout', { token });
});

test('a pairing whose account signature does not verify is refused, and the device is not linked', async () => {
  const forger = await startEmulator({ port: 0, logger: pino({ level: 'silent' }), wrongAccountSignatureKey: true });
  try {
    assert.deepEqual(forger.rootPublicKey, emu.rootPublicKey);
    const w = await startWith(forger.rootPublicKey.toString('hex'), forger);
    const token = await newSession(w, 'forged-account');
    const live = await listen(w.url, token);
    await w.call('POST', '/session/connect', { token });
    const qr = await waitFor('qr', async () => (await w.call<{ Code: string }>('GET', '/session/qr', { token })).body.data?.Code);
    // The client answers the forged pair-success by closing the connection: the link never completes.
    await assert.rejects(forger.control.scanQr(qr, OWNER_PHONE));
    const failed = await live.next('StateChanged', (e) => (e.data as StateEvent).state === 'failed', 15_000);
    const why = /^pairing refused: the account signature does not verify \(Failed to verify account signature\)$/;
    assert.match(String((failed.data as StateEvent).reason), why);
    const s = await status(w, token);
    assert.match(String(s.LastError), why);
    assert.equal(s.Connected, false);
    assert.equal(forger.control.devices().length, 0, 'no device linked at the emulator');
    await assertNoRetries(w, token, live.events);
    live.socket.close();
  } finally {
    await wago?.stop();
    wago = undefined;
    await forger.stop();
  }
});
