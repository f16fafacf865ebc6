import { test, mock, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { deleteInBatches, startRetentionSweep, type RetentionSweep } from '../../server/lib/retention-sweep';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 0, 10, 12, 0, 0);

/** Lets the promises a sweep started run (setImmediate is not one of the mocked timers). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function logged(): { logger: pino.Logger; lines: Array<{ msg: string; component: string; deleted?: number; level: number }> } {
  const lines: Array<{ msg: string; component: string; deleted?: number; level: number }> = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  return { logger, lines };
}

/** A sweep whose age pass records its cutoffs and deletes `count()` rows. */
function sweepWith(opts: Partial<RetentionSweep> & { days: number }, count: () => number = () => 0) {
  const cutoffs: number[] = [];
  const { logger, lines } = logged();
  const sweep = startRetentionSweep({
    logger,
    component: 'test-retention',
    what: 'rows',
    deleteOlderThan: async (cutoff) => (cutoffs.push(cutoff.getTime()), count()),
    ...opts,
  });
  return { sweep, cutoffs, lines };
}

function useFakeTime(): void {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: START });
}

afterEach(() => mock.timers.reset());

test('by default: the first sweep a minute after start, then hourly, each deleting what is older than the kept days', async () => {
  useFakeTime();
  const { sweep, cutoffs, lines } = sweepWith({ days: 3 }, () => 2);
  mock.timers.tick(MINUTE - 1);
  await settle();
  assert.deepEqual(cutoffs, [], 'nothing before a minute');
  mock.timers.tick(1);
  await settle();
  assert.deepEqual(cutoffs, [START + MINUTE - 3 * DAY]);
  mock.timers.tick(HOUR - MINUTE);
  await settle();
  assert.deepEqual(cutoffs, [START + MINUTE - 3 * DAY, START + HOUR - 3 * DAY]);
  assert.deepEqual(
    lines.map((l) => [l.component, l.msg, l.deleted]),
    [
      ['test-retention', 'deleted rows past retention', 2],
      ['test-retention', 'deleted rows past retention', 2],
    ],
  );
  await sweep.stop();
  mock.timers.tick(10 * HOUR);
  await settle();
  assert.equal(cutoffs.length, 2, 'no sweep after stop');
});

test('0 days keeps everything (no sweep), unless zeroDays is delete-all: then each sweep deletes up to now', async () => {
  useFakeTime();
  const kept = sweepWith({ days: 0 });
  const cleared = sweepWith({ days: 0, zeroDays: 'delete-all' });
  mock.timers.tick(MINUTE);
  await settle();
  mock.timers.tick(HOUR - MINUTE);
  await settle();
  assert.deepEqual(kept.cutoffs, []);
  assert.deepEqual(cleared.cutoffs, [START + MINUTE, START + HOUR]);
  await Promise.all([kept.sweep.stop(), cleared.sweep.stop()]);
});

test('firstDelayMs 0 sweeps at once; everyMs sets the period', async () => {
  useFakeTime();
  const { sweep, cutoffs } = sweepWith({ days: 1, firstDelayMs: 0, everyMs: 5 * MINUTE });
  await settle();
  assert.deepEqual(cutoffs, [START - DAY], 'at start');
  mock.timers.tick(5 * MINUTE);
  await settle();
  mock.timers.tick(5 * MINUTE);
  await settle();
  assert.deepEqual(cutoffs, [START - DAY, START + 5 * MINUTE - DAY, START + 10 * MINUTE - DAY]);
  await sweep.stop();
});

test('extraPass runs after the age pass of each sweep and is logged; a failed pass is logged and the next sweep tries again', async () => {
  useFakeTime();
  const order: string[] = [];
  let failAge = true;
  const { logger, lines } = logged();
  const sweep = startRetentionSweep({
    days: 7,
    logger,
    component: 'test-retention',
    what: 'events',
    firstDelayMs: 0,
    deleteOlderThan: async () => {
      order.push('age');
      if (failAge) throw new Error('database went away');
      return 0;
    },
    extraPass: { what: 'events beyond the cap', run: async () => (order.push('extra'), 4) },
  });
  await settle();
  assert.deepEqual(order, ['age'], 'the extra pass does not run after a failed age pass');
  assert.deepEqual([lines[0]?.msg, lines[0]?.level], ['events retention sweep failed', 50]);
  failAge = false;
  mock.timers.tick(HOUR);
  await settle();
  assert.deepEqual(order, ['age', 'age', 'extra']);
  assert.deepEqual([lines[1]?.msg, lines[1]?.deleted], ['deleted events beyond the cap', 4], 'nothing logged for an age pass that deleted nothing');
  assert.equal(lines.length, 2);
  await sweep.stop();
});

test('a sweep is skipped while the previous one runs, and stop() waits for the running one', async () => {
  useFakeTime();
  let release!: () => void;
  let calls = 0;
  let finished = false;
  const { logger } = logged();
  const sweep = startRetentionSweep({
    days: 1,
    logger,
    component: 'test-retention',
    what: 'rows',
    firstDelayMs: 0,
    everyMs: MINUTE,
    deleteOlderThan: () => {
      calls += 1;
      return new Promise<number>((resolve) => (release = () => ((finished = true), resolve(0))));
    },
  });
  mock.timers.tick(MINUTE);
  await settle();
  mock.timers.tick(MINUTE);
  await settle();
  assert.equal(calls, 1, 'no second sweep while the first one runs');
  let stopped = false;
  const stopping = sweep.stop().then(() => (stopped = true));
  await settle();
  assert.equal(stopped, false, 'stop waits for the running sweep');
  release();
  await stopping;
  assert.equal(finished, true);
});

test('deleteInBatches deletes until a batch comes back short and adds up what went', async () => {
  const asked: number[] = [];
  const answers = [100, 100, 37];
  const total = await deleteInBatches(async (batch) => (asked.push(batch), answers.shift() ?? 0), 100);
  assert.equal(total, 237);
  assert.deepEqual(asked, [100, 100, 100]);
  assert.equal(await deleteInBatches(async () => 0, 100), 0, 'an empty table: one batch');
});
