import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { waitFor, ALICE, OWNER_PHONE } from '../helpers/emulated-wago';
import { WebhookReceiver } from '../helpers/webhook-receiver';
import { linkOverRest, ownerDevice, processEnv, rest, storedCounts, storedTexts, tempDirs } from '../helpers/fault-wago';

// Fault: WaGo is killed with SIGKILL in the middle of a burst of incoming messages, and the contact
// keeps writing while it is down. WhatsApp (the emulator) keeps every message its device has not
// acknowledged and delivers it again at the next login; WaGo acknowledges a message only once it is
// stored and its webhook event written. After the restart every message must be stored once and
// delivered to the webhook, each under one event id.
const ADMIN = 'crash-incoming-admin-token-0123';
const BURST = 60;
/** Stored messages at which WaGo is killed. */
const KILL_AFTER = 15;
/** A busy machine (2 cores, the suite beside) can take a while to start a process. */
const SLOW_START = { bannerTimeoutMs: 180_000 };
let emu: Emulator;
let db: TestDatabase;
const processes: WagoProcess[] = [];
const dirs = tempDirs();
const receiver = new WebhookReceiver();

after(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await receiver.stop();
  await emu?.stop();
  await db?.drop();
  await dirs.cleanup();
});

/** The message id a delivery carries (one of `ids`), if any. */
const messageOf = (raw: string, ids: string[]) => ids.find((id) => raw.includes(id));

test('SIGKILL during a burst of incoming messages: after the restart every message is stored once and its webhook delivered under one event id', async () => {
  emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
  db = await createTestDatabase();
  await receiver.start();
  const env = { ...processEnv(emu, db.url, ADMIN, { WAGO_LEASE_TTL_MS: '60000' }), WAGO_DATA_DIR: await dirs.make('wago-crash-in-') };
  const a = await spawnWago(env, SLOW_START);
  processes.push(a);
  const token = await linkOverRest(emu, a.url, ADMIN, 'crash-incoming');
  const hook = await rest(a.url, 'POST', '/webhook', { token }, { WebhookURL: receiver.url('/hook'), Events: ['Message'] });
  assert.equal(hook.status, 200, hook.error);

  // The contact writes as fast as it can; WaGo is killed as soon as it has stored part of the
  // burst, while the rest is arriving (some received, some acknowledged, some neither).
  const sent: string[] = [];
  const burst = (async () => {
    for (let i = 0; i < BURST; i++) sent.push((await emu.control.send(ALICE, { to: OWNER_PHONE, text: `burst ${i}` })).id);
  })();
  await waitFor('part of the burst stored', async () => (await storedCounts(db.url, sent)).size >= KILL_AFTER, 60_000);
  await a.kill('SIGKILL');
  await waitFor('the emulator saw the connection drop', async () => !ownerDevice(emu)?.online);
  const heldAtKill = ownerDevice(emu)!.queued;
  const sentAtKill = sent.length;
  await burst;
  const storedBeforeRestart = (await storedCounts(db.url, sent)).size;

  const a2 = await spawnWago({ ...env, ...(process.env.FAULT_LOG ? { LOG_LEVEL: process.env.FAULT_LOG } : {}) }, SLOW_START);
  processes.push(a2);
  after(() => {
    if (process.env.FAULT_LOG) console.log(a2.output());
  });
  let counts = new Map<string, number>();
  await waitFor(
    'every message stored',
    async () => {
      counts = await storedCounts(db.url, sent);
      return counts.size === sent.length;
    },
    60_000,
  ).catch(() => undefined);
  await receiver
    .waitFor('every message delivered', () => new Set(receiver.accepted('/hook').map((r) => messageOf(r.raw, sent))).size === sent.length, 60_000)
    .catch(() => undefined);

  const requests = receiver.forPath('/hook');
  const eventIds = new Map<string, Set<string>>();
  for (const r of requests) {
    const m = messageOf(r.raw, sent);
    assert.ok(m, 'only the burst was delivered');
    eventIds.set(m, (eventIds.get(m) ?? new Set()).add(r.eventId));
  }
  const delivered = new Set(receiver.accepted('/hook').map((r) => messageOf(r.raw, sent)));
  const storedTwice = [...counts.values()].filter((n) => n > 1).length;
  const duplicates = requests.length - eventIds.size;
  const lost = sent.filter((id) => !counts.has(id) || !delivered.has(id)).length;
  console.log(
    `figures (SIGKILL during incoming burst): sent ${sent.length}, received ${sent.length}, stored ${counts.size} (${storedBeforeRestart} before the restart, ${storedTwice} twice), ` +
      `delivered ${delivered.size} (${requests.length} requests, ${duplicates} repeats under the same event id), ${sentAtKill} sent before the kill, ${heldAtKill} of them kept by WhatsApp unacknowledged and delivered again, lost ${lost}`,
  );
  assert.equal(lost, 0, `lost: ${sent.filter((id) => !counts.has(id) || !delivered.has(id)).map((id) => sent.indexOf(id)).join(', ')}`);
  assert.equal(storedTwice, 0, 'every message stored once');
  const texts = await storedTexts(db.url, sent);
  assert.deepEqual(sent.map((id) => texts.get(id)), sent.map((_, i) => `burst ${i}`), 'every message stored with its text');
  for (const [m, ids] of eventIds) assert.equal(ids.size, 1, `message ${sent.indexOf(m)} delivered under ${ids.size} event ids`);
  // The session runs on and still takes new messages in.
  const later = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'after the restart' });
  await waitFor('a new message stored', async () => (await storedCounts(db.url, [later.id])).size === 1);
});
