import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, ALICE, OWNER_PHONE } from '../helpers/emulated-wago';
import { queryRows } from '../helpers/db';
import { awaitStored, ownerDevice, rest, storedCounts, storedTexts } from '../helpers/fault-wago';
import { attemptOf, awaitDelivered } from '../helpers/fault-deliveries';
import { FaultRig } from '../helpers/faults';
import { startThrowawayPostgres } from '../helpers/throwaway-postgres';

// Fault: PostgreSQL is stopped (fast shutdown: every connection cut) in the middle of a stream of
// incoming messages and started again some seconds later, while the contact keeps writing. WaGo
// must catch up by itself: no message lost or stored twice, every webhook event delivered under
// one id, the session still connected, REST answering again (a clean 503 while the database is
// down) and the process never exiting. The cluster is a throwaway one of this test's own.
const ADMIN = 'pg-restart-admin-token-012345678';
const BEFORE = 15;
const DURING_MS = 7000;
const AFTER = 15;
const GAP_MS = 150;
const rig = new FaultRig(ADMIN);
after(() => rig.stop());

/** Advisory locks held by WaGo's instance-id lock connections. */
const instanceLocks = async (url: string) =>
  (await queryRows<{ n: string }>(url, `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.application_name = 'wago-instance-lock'`))
    .map((r) => Number(r.n))[0];
const liveLeases = (url: string) => queryRows<{ owner_id: string }>(url, `SELECT "owner_id" FROM "session_leases" WHERE "expires_at" > now()`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('PostgreSQL restarted mid-traffic: WaGo recovers by itself, every incoming message stored once and delivered', async (t) => {
  const cluster = await startThrowawayPostgres();
  if ('unavailable' in cluster) {
    t.skip(`no throwaway PostgreSQL: ${cluster.unavailable}`);
    return;
  }
  await rig.start({ url: cluster.url, drop: () => cluster.destroy() }, { WAGO_LEASE_TTL_MS: '5000' });
  const { emu, receiver } = rig;
  const a = await rig.spawn(await rig.env('wago-pg-restart-'));
  let exitedWith: number | null | undefined;
  a.child.once('exit', (code) => (exitedWith = code));
  const token = await rig.linkWithWebhook(a.url, 'pg-restart', '/hook');

  const sent: string[] = [];
  const send = async (label: string) => sent.push((await emu.control.send(ALICE, { to: OWNER_PHONE, text: label })).id);
  for (let i = 0; i < BEFORE; i++) {
    await send(`before ${i}`);
    await pause(GAP_MS);
  }
  await waitFor('the first messages stored', async () => (await storedCounts(cluster.url, sent)).size >= 5, 60_000);

  await cluster.stop();
  const downAt = Date.now();
  const whileDown: Array<{ status: number; error?: string }> = [];
  let i = 0;
  while (Date.now() - downAt < DURING_MS) {
    await send(`during ${i++}`);
    if (i % 10 === 1) {
      const answer = await rest<unknown>(a.url, 'GET', '/session/status', { token });
      whileDown.push({ status: answer.status, error: answer.error });
    }
    await pause(GAP_MS);
  }
  const sentWhileDown = i;
  await cluster.start();
  for (let k = 0; k < AFTER; k++) {
    await send(`after ${k}`);
    await pause(GAP_MS);
  }

  const counts = await awaitStored(cluster.url, sent, 90_000);
  const { requests, strays, eventIds, repeats, delivered } = await awaitDelivered(() => receiver.forPath('/hook'), sent, 60_000);
  assert.deepEqual(strays, [], 'only the stream was delivered');
  for (const r of repeats) assert.ok(attemptOf(r) > 1, 'a repeat under the same event id says it is a further attempt');
  const storedTwice = [...counts.values()].filter((n) => n > 1).length;
  const lost = sent.filter((id) => !counts.has(id) || !delivered.has(id)).length;
  console.log(
    `figures (PostgreSQL restarted for ${DURING_MS / 1000} s mid-traffic): sent ${sent.length}, received ${sent.length}, stored ${counts.size} (${storedTwice} twice), ` +
      `delivered ${delivered.size} (${requests.length} requests, ${requests.length - eventIds.size} repeats under the same event id), ${sentWhileDown} sent while the database was down, ` +
      `REST while down: ${whileDown.map((w) => w.status).join('/')}, lost ${lost}`,
  );
  assert.equal(exitedWith, undefined, `the process did not exit:\n${a.output()}`);
  for (const w of whileDown) {
    assert.ok(w.status === 200 || w.status === 503, `REST while the database is down answers 200 or a clean 503, got ${w.status} (${w.error})`);
    if (w.status === 503) assert.match(w.error ?? '', /database/i, 'the 503 says the database is unavailable');
  }
  assert.equal(lost, 0, `lost: ${sent.filter((id) => !counts.has(id) || !delivered.has(id)).map((id) => sent.indexOf(id)).join(', ')}`);
  assert.equal(storedTwice, 0, 'every message stored once');
  const texts = await storedTexts(cluster.url, sent);
  assert.equal(sent.filter((id) => !texts.get(id)).length, 0, 'every message stored with its text');
  for (const [m, ids] of eventIds) assert.equal(ids.size, 1, `message ${sent.indexOf(m)} delivered under ${ids.size} event ids`);

  // REST answers again, the session is connected, and one device connection is live.
  await waitFor('REST answers and the session is connected', async () => (await rest<{ Connected: boolean }>(a.url, 'GET', '/session/status', { token })).data?.Connected, 60_000);
  assert.ok(ownerDevice(emu)?.online, 'the session is online at WhatsApp');
  // The process took its instance id lock back on a new connection, and holds its session's lease alone.
  await waitFor('the instance id lock taken back', async () => (await instanceLocks(cluster.url)) === 1, 30_000);
  await waitFor('the lease renewed', async () => (await liveLeases(cluster.url)).length === 1, 30_000);
  const later = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'after the recovery' });
  await waitFor('a new message stored', async () => (await storedCounts(cluster.url, [later.id])).size === 1, 30_000);
});
