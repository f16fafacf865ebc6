import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, ALICE, OWNER_PHONE } from '../helpers/emulated-wago';
import { awaitStored, ownerDevice, storedCounts, storedTexts } from '../helpers/fault-wago';
import { awaitDelivered } from '../helpers/fault-deliveries';
import { FaultRig } from '../helpers/faults';

// Fault: WaGo is killed with SIGKILL in the middle of a burst of incoming messages, and the contact
// keeps writing while it is down. WhatsApp (the emulator) keeps every message its device has not
// acknowledged and delivers it again at the next login; WaGo acknowledges a message only once it is
// stored and its webhook event written. After the restart every message must be stored once and
// delivered to the webhook, each under one event id.
const ADMIN = 'crash-incoming-admin-token-0123';
const BURST = 60;
/** Stored messages at which WaGo is killed. */
const KILL_AFTER = 15;
const rig = new FaultRig(ADMIN);
after(() => rig.stop());

test('SIGKILL during a burst of incoming messages: after the restart every message is stored once and its webhook delivered under one event id', async () => {
  await rig.start(undefined, { WAGO_LEASE_TTL_MS: '60000' });
  const { emu, databaseUrl, receiver } = rig;
  const env = await rig.env('wago-crash-in-');
  const a = await rig.spawn(env);
  await rig.linkWithWebhook(a.url, 'crash-incoming', '/hook');

  // The contact writes as fast as it can; WaGo is killed as soon as it has stored part of the
  // burst, while the rest is arriving (some received, some acknowledged, some neither).
  const sent: string[] = [];
  const burst = (async () => {
    for (let i = 0; i < BURST; i++) sent.push((await emu.control.send(ALICE, { to: OWNER_PHONE, text: `burst ${i}` })).id);
  })();
  await waitFor('part of the burst stored', async () => (await storedCounts(databaseUrl, sent)).size >= KILL_AFTER, 60_000);
  await a.kill('SIGKILL');
  await waitFor('the emulator saw the connection drop', async () => !ownerDevice(emu)?.online);
  const heldAtKill = ownerDevice(emu)!.queued;
  const sentAtKill = sent.length;
  await burst;
  const storedBeforeRestart = (await storedCounts(databaseUrl, sent)).size;

  await rig.spawn(env);
  const counts = await awaitStored(databaseUrl, sent, 60_000);
  const { requests, strays, eventIds, delivered } = await awaitDelivered(() => receiver.forPath('/hook'), sent, 60_000);
  assert.deepEqual(strays, [], 'only the burst was delivered');
  const storedTwice = [...counts.values()].filter((n) => n > 1).length;
  const duplicates = requests.length - eventIds.size;
  const lost = sent.filter((id) => !counts.has(id) || !delivered.has(id)).length;
  console.log(
    `figures (SIGKILL during incoming burst): sent ${sent.length}, received ${sent.length}, stored ${counts.size} (${storedBeforeRestart} before the restart, ${storedTwice} twice), ` +
      `delivered ${delivered.size} (${requests.length} requests, ${duplicates} repeats under the same event id), ${sentAtKill} sent before the kill, ${heldAtKill} of them kept by WhatsApp unacknowledged and delivered again, lost ${lost}`,
  );
  assert.equal(lost, 0, `lost: ${sent.filter((id) => !counts.has(id) || !delivered.has(id)).map((id) => sent.indexOf(id)).join(', ')}`);
  assert.equal(storedTwice, 0, 'every message stored once');
  const texts = await storedTexts(databaseUrl, sent);
  assert.deepEqual(sent.map((id) => texts.get(id)), sent.map((_, i) => `burst ${i}`), 'every message stored with its text');
  for (const [m, ids] of eventIds) assert.equal(ids.size, 1, `message ${sent.indexOf(m)} delivered under ${ids.size} event ids`);
  // The session runs on and still takes new messages in.
  const later = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'after the restart' });
  await waitFor('a new message stored', async () => (await storedCounts(databaseUrl, [later.id])).size === 1);
});
