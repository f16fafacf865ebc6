// Runs on whichever Node runs the suite (.ci/run runs it on Node 20 and on Node 24): WaGo as an
// operator starts it, in its own process, on that Node.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { emulatorEnv, listen, waitFor, ALICE, OWNER_PHONE, type SendAnswer } from '../helpers/emulated-wago';
import { startEmulator, type Emulator } from '../../emulator/index';

const NODE = `Node ${process.versions.node}`;
const ADMIN = 'node-lines-admin-token-0123456789';
/** What WaGo logs when Baileys did not get WaGo's AsyncLocalStorage. */
const NO_STORAGE_HOOK = /Baileys uses Node's own AsyncLocalStorage/;

const running: WagoProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const wago of running) await wago.kill('SIGTERM');
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function start(env: Record<string, string>): Promise<WagoProcess> {
  const wago = await spawnWago({ WAGO_ADMIN_TOKEN: ADMIN, ...env });
  running.push(wago);
  return wago;
}

function api(wago: WagoProcess) {
  return async <T>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<{ status: number; data?: T; error?: string }> => {
    const headers: Record<string, string> = opts.token ? { token: opts.token } : { admintoken: ADMIN };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${wago.url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const json = (await res.json()) as { data?: T; error?: string };
    return { status: res.status, ...json };
  };
}

const connected = (wago: WagoProcess, token: string) =>
  waitFor('connected', async () => (await api(wago)<{ Connected: boolean }>('GET', '/session/status', { token })).data?.Connected, 30_000);

/** Links a new session by QR with `scan`; returns its token. */
async function link(wago: WagoProcess, scan: (qr: string) => Promise<unknown>): Promise<string> {
  const call = api(wago);
  const token = (await call<{ token: string }>('POST', '/session/init', { body: { Name: 'node line' } })).data!.token;
  await call('POST', '/session/connect', { token, body: {} });
  const qr = await waitFor('qr', async () => (await call<{ Code: string }>('GET', '/session/qr', { token })).data?.Code);
  await scan(qr);
  await connected(wago, token);
  return token;
}

test(`${NODE}, sandbox: a session links to a simulated phone, sends (the contact decrypts it) and receives`, async () => {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const wago = await start({ DATABASE_URL: db.url, WAGO_SANDBOX: '1' });
  const control = /control API (http:\/\/\S+)/.exec(wago.output())?.[1];
  assert.ok(control, wago.output());
  const post = async (path: string, body: unknown) =>
    (await fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const token = await link(wago, (qr) => post('/pairing/qr/scan', { qr, phone: OWNER_PHONE }));

  const sent = await api(wago)<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: `sent on ${NODE}` } });
  assert.equal(sent.status, 200, JSON.stringify(sent));
  const got = (await (await fetch(`${control}/accounts/${ALICE}/messages?wait=15000&count=1&from=${OWNER_PHONE}`)).json()) as Array<{ id: string; text?: string }>;
  assert.equal(got.find((m) => m.id === sent.data!.Id)?.text, `sent on ${NODE}`, 'the contact decrypted the text');

  const live = await listen(wago.url, token);
  await post(`/accounts/${ALICE}/send`, { to: OWNER_PHONE, text: `received on ${NODE}` });
  const message = await live.next('Message', (e) => (e.data as { text?: string }).text === `received on ${NODE}`);
  assert.equal((message.data as { from: { jid: string } }).from.jid, `${ALICE}@s.whatsapp.net`);
  live.socket.close();
  assert.doesNotMatch(wago.output(), NO_STORAGE_HOOK, 'Baileys got WaGo\'s AsyncLocalStorage');
});

test(`${NODE}: a linked session is restored after a restart, then sends and receives`, async () => {
  const emu: Emulator = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  cleanups.push(() => emu.stop());
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const env = { DATABASE_URL: db.url, ...emulatorEnv(emu) };

  const roundTrip = async (wago: WagoProcess, token: string, text: string) => {
    const sent = await api(wago)<SendAnswer>('POST', '/send/text', { token, body: { Phone: ALICE, Body: `${text} out` } });
    assert.equal(sent.status, 200, JSON.stringify(sent));
    const [got] = await emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === sent.data!.Id, timeoutMs: 15_000 });
    assert.equal(got.text, `${text} out`, 'the contact decrypted the text');
    const live = await listen(wago.url, token);
    await emu.control.send(ALICE, { to: OWNER_PHONE, text: `${text} in` });
    await live.next('Message', (e) => (e.data as { text?: string }).text === `${text} in`);
    live.socket.close();
  };

  const first = await start(env);
  const token = await link(first, (qr) => emu.control.scanQr(qr, OWNER_PHONE));
  const devices = () => emu.control.listAccounts().find((a) => a.phone === OWNER_PHONE)!.devices.length;
  const linkedDevices = devices();
  await roundTrip(first, token, 'before the restart');
  assert.equal(await first.kill('SIGTERM'), 0, 'a clean stop');

  // A new process on the same database: the session comes back by itself, no connect call.
  const second = await start(env);
  await connected(second, token);
  await roundTrip(second, token, 'after the restart');
  assert.equal(devices(), linkedDevices, 'the same linked device, not a new link');
  for (const wago of [first, second]) assert.doesNotMatch(wago.output(), NO_STORAGE_HOOK);
});
