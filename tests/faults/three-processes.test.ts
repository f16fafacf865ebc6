import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, listen, ALICE } from '../helpers/emulated-wago';
import { queryRows } from '../helpers/db';
import { awaitStored, rest } from '../helpers/fault-wago';
import { attemptOf, awaitDelivered, messageOf } from '../helpers/fault-deliveries';
import { FaultRig } from '../helpers/faults';

// Several processes: three WaGo processes share one PostgreSQL and one Redis. Six sessions spread
// over them by lease; any process answers REST for any session (it forwards to the owner), a
// socket.io client on one process gets the events of a session another runs, and each webhook
// event goes out under one event id (a repeat carries the same id and an attempt number above 1).
// Then the process running the most sessions is killed with SIGKILL while the contact keeps
// writing: its sessions come up on the others once their leases expire, and no inbound message
// is lost or stored twice.
const ADMIN = 'three-processes-admin-token-0123';
const REDIS = process.env.WAGO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEASE_TTL_MS = 4000;
const SESSIONS = 6;
const PHONES = Array.from({ length: SESSIONS }, (_, i) => `1555000110${i}`);
const rig = new FaultRig(ADMIN);
after(() => rig.stop());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The owner id of each session's live lease. */
async function owners(databaseUrl: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ session_id: string; owner_url: string }>(databaseUrl, 'SELECT "session_id", "owner_url" FROM "session_leases" WHERE "expires_at" > now()');
  return new Map(rows.map((r) => [r.session_id, r.owner_url]));
}

async function sessionId(databaseUrl: string, name: string): Promise<string> {
  const rows = await queryRows<{ id: string }>(databaseUrl, 'SELECT "id" FROM "sessions" WHERE "name" = $1', [name]);
  return rows[0].id;
}

test('three WaGo processes on one database and Redis: sessions spread, any process answers, events cross, webhooks once per id, a killed process\'s sessions move', async (t) => {
  if (REDIS === 'none') {
    t.skip('no Redis: socket.io across processes needs it');
    return;
  }
  await rig.start(undefined, { WAGO_LEASE_TTL_MS: String(LEASE_TTL_MS), REDIS_URL: REDIS });
  const { emu, databaseUrl, receiver, processes } = rig;
  for (const [i, phone] of PHONES.entries()) emu.control.createAccount({ phone, name: `Owner ${i}` });
  const envs = [await rig.env('wago-three-0-'), await rig.env('wago-three-1-'), await rig.env('wago-three-2-')];
  await Promise.all(envs.map((env) => rig.spawn(env)));
  const urls = processes.map((p) => p.url);

  // Each session is created and linked through process i % 3, which then runs it.
  const tokens: string[] = [];
  const ids: string[] = [];
  for (const [i, phone] of PHONES.entries()) {
    tokens.push(await rig.linkWithWebhook(urls[i % 3], `three-${i}`, `/hook/${i}`, { phone, hookBase: urls[(i + 1) % 3] }));
    ids.push(await sessionId(databaseUrl, `three-${i}`));
  }
  const leases = await owners(databaseUrl);
  const ownerOf = (i: number) => leases.get(ids[i]);
  assert.equal(leases.size, SESSIONS, 'every session has a live lease');
  const owning = new Set(leases.values());
  assert.ok(owning.size >= 2, `sessions spread over ${owning.size} processes`);

  // Any process answers REST for any session.
  for (const [i, token] of tokens.entries()) {
    for (const url of urls) {
      const s = await rest<{ Connected: boolean }>(url, 'GET', '/session/status', { token });
      assert.equal(s.status, 200, s.error);
      assert.equal(s.data.Connected, true, `session ${i} connected as seen from ${url}`);
    }
  }

  // socket.io: a client on a process that does not run session 0 gets its events.
  const elsewhere = urls.find((u) => !ownerOf(0)?.startsWith(u)) ?? urls[1];
  const live = await listen(elsewhere, tokens[0]);
  const crossing = await emu.control.send(ALICE, { to: PHONES[0], text: 'across processes' });
  await live.next('Message', (e) => JSON.stringify(e.data).includes(crossing.id), 30_000);
  live.socket.close();

  // The contact writes to every session in turns; the process owning the most sessions is killed
  // in the middle, and the writing goes on for a few lease times.
  const sent: string[] = [crossing.id];
  const sentTo = new Map<string, number>([[crossing.id, 0]]);
  let writing = true;
  const writer = (async () => {
    for (let round = 0; writing; round++) {
      for (const [i, phone] of PHONES.entries()) {
        const m = await emu.control.send(ALICE, { to: phone, text: `round ${round} to ${i}` });
        sent.push(m.id);
        sentTo.set(m.id, i);
      }
      await pause(300);
    }
  })();
  await pause(3000);
  const perOwner = new Map<string, number>();
  for (const o of leases.values()) perOwner.set(o, (perOwner.get(o) ?? 0) + 1);
  const [victimUrl, victimSessions] = [...perOwner.entries()].sort((a, b) => b[1] - a[1])[0];
  const victim = processes.find((p) => victimUrl.startsWith(p.url) || p.url.startsWith(victimUrl));
  assert.ok(victim, `the owner ${victimUrl} is one of the processes (${urls.join(', ')})`);
  const moved = ids.map((id, i) => (leases.get(id) === victimUrl ? i : -1)).filter((i) => i >= 0);
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  const survivors = urls.filter((u) => u !== victim.url);
  await waitFor(
    'the killed process\'s sessions connected on the others',
    async () => {
      for (const i of moved) {
        const s = await rest<{ Connected: boolean }>(survivors[0], 'GET', '/session/status', { token: tokens[i] }).catch(() => undefined);
        if (!s?.data?.Connected) return false;
      }
      return true;
    },
    LEASE_TTL_MS * 3 + 60_000,
  );
  const takeoverMs = Date.now() - killedAt;
  const after = await owners(databaseUrl);
  for (const i of moved) assert.ok(after.get(ids[i]) && after.get(ids[i]) !== victimUrl, `session ${i} now owned by a survivor`);
  await pause(1000);
  writing = false;
  await writer;

  // Every message stored once and delivered to its session's webhook.
  const counts = await awaitStored(databaseUrl, sent, 90_000);
  const { requests, strays, eventIds, repeats, delivered } = await awaitDelivered(() => receiver.requests, sent, 60_000);
  assert.deepEqual(strays, [], 'only the sent messages were delivered');
  for (const r of requests) assert.equal(r.path, `/hook/${sentTo.get(messageOf(r.raw, sent)!)}`, 'delivered to its session\'s webhook');
  for (const r of repeats) assert.ok(attemptOf(r) > 1, 'a repeat under the same event id says it is a further attempt');
  const storedTwice = [...counts.values()].filter((n) => n > 1).length;
  const lost = sent.filter((id) => !counts.has(id) || !delivered.has(id));
  console.log(
    `figures (3 processes, SIGKILL of the owner of ${victimSessions} of ${SESSIONS} sessions): sent ${sent.length}, received ${sent.length}, stored ${counts.size} (${storedTwice} twice), ` +
      `delivered ${delivered.size} (${requests.length} requests, ${repeats.length} repeats under the same event id), sessions moved in ${takeoverMs} ms (lease TTL ${LEASE_TTL_MS} ms), lost ${lost.length}`,
  );
  assert.equal(lost.length, 0, `lost: ${lost.map((id) => `${sent.indexOf(id)}→${sentTo.get(id)}`).join(', ')}`);
  assert.equal(storedTwice, 0, 'every message stored once');
  for (const [m, set] of eventIds) assert.equal(set.size, 1, `message ${sent.indexOf(m)} delivered under ${set.size} event ids`);
});
