import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, ALICE, OWNER_PHONE } from '../helpers/emulated-wago';
import { rest } from '../helpers/fault-wago';
import { FaultRig } from '../helpers/faults';

// Fault: WaGo is killed with SIGKILL in the middle of a burst of sends. Every caller either got a
// success (and the contact has that message) or an error / a broken connection; a caller who got
// no success sends again with the same `Id` once WaGo is back, and a send already made under that
// Id is answered without being sent twice. The contact must end with every message, and any
// message it got twice (an Id sent, then the process died before it was stored) is counted.
const ADMIN = 'crash-sends-admin-token-0123';
const SENDS = 40;
const PARALLEL = 4;
const KILL_AFTER = 12;
const rig = new FaultRig(ADMIN);
after(() => rig.stop());

type Outcome = 'ok' | 'error' | 'no answer';

test('SIGKILL during a burst of sends: every success reached the contact, every other send made good by a retry with its Id, duplicates counted', async () => {
  await rig.start(undefined, { WAGO_LEASE_TTL_MS: '60000' });
  const { emu } = rig;
  const env = await rig.env('wago-crash-out-');
  const a = await rig.spawn(env);
  const token = await rig.link(a.url, 'crash-sends');
  const ids = Array.from({ length: SENDS }, (_, i) => `FAULTSEND${String(i).padStart(3, '0')}${Date.now().toString(36).toUpperCase()}`);
  const outcomes = new Map<string, Outcome>();

  let next = 0;
  let answered = 0;
  let killing: Promise<unknown> | undefined;
  const worker = async () => {
    while (next < SENDS) {
      const i = next++;
      const outcome = await rest<{ Id: string }>(a.url, 'POST', '/send/text', { token }, { Phone: ALICE, Body: `send ${i}`, Id: ids[i] }).then(
        (r): Outcome => (r.status === 200 && r.data.Id === ids[i] ? 'ok' : 'error'),
        (): Outcome => 'no answer',
      );
      outcomes.set(ids[i]!, outcome);
      if (++answered === KILL_AFTER) killing ??= a.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  await killing;
  const okBefore = [...outcomes.values()].filter((o) => o === 'ok').length;

  // Back on the same data folder; the callers without a success send again, with the same Id.
  const a2 = await rig.spawn(env);
  await waitFor('connected again', async () => (await rest<{ Connected: boolean }>(a2.url, 'GET', '/session/status', { token })).data?.Connected, 30_000);
  const retried = ids.filter((id) => outcomes.get(id) !== 'ok');
  for (const id of retried) {
    const i = ids.indexOf(id);
    const r = await rest<{ Id: string }>(a2.url, 'POST', '/send/text', { token }, { Phone: ALICE, Body: `send ${i}`, Id: id });
    assert.equal(r.status, 200, r.error);
    assert.equal(r.data.Id, id);
  }
  // A repeat of a send that succeeded is answered without sending again.
  const repeat = await rest<{ Id: string }>(a2.url, 'POST', '/send/text', { token }, { Phone: ALICE, Body: 'send 0', Id: ids[0] });
  assert.equal(repeat.status, 200, repeat.error);

  await waitFor(
    'every message at the contact',
    async () => {
      const got = emu.control.received(ALICE, { from: OWNER_PHONE });
      return ids.every((id) => got.some((m) => m.id === id));
    },
    30_000,
  ).catch(() => undefined);
  const received = emu.control.received(ALICE, { from: OWNER_PHONE });
  const times = (id: string) => received.filter((m) => m.id === id).length;
  const duplicates = ids.filter((id) => times(id) > 1);
  const okReceivedTwice = ids.filter((id) => outcomes.get(id) === 'ok' && times(id) > 1);
  const lost = ids.filter((id) => times(id) === 0).length;
  const counts = { ok: okBefore, error: [...outcomes.values()].filter((o) => o === 'error').length, none: [...outcomes.values()].filter((o) => o === 'no answer').length };
  console.log(
    `figures (SIGKILL during a send burst): sent ${SENDS} (${counts.ok} answered with success before the kill, ${counts.error} with an error, ${counts.none} without an answer), ` +
      `retried with the same Id ${retried.length}, received by the contact ${ids.length - lost}, received twice ${duplicates.length} (all after a send the caller was not told had succeeded), lost ${lost}`,
  );
  assert.equal(lost, 0, `not received: ${ids.filter((id) => times(id) === 0).map((id) => `${ids.indexOf(id)} (${outcomes.get(id)})`).join(', ')}`);
  assert.deepEqual(okReceivedTwice, [], 'a send answered with success is never sent again');
  assert.equal(times(ids[0]!), 1, 'the repeated Id was not sent again');
});
