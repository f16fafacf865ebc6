import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnBudget } from '../../server/lib/turn-budget';
import { SendQueue } from '../../server/whatsapp/send/send-queue';
import { busy, hitsPerTurn, longestTurn } from '../helpers/loop-turns';

test('many sessions relaying at once: the event loop still turns every slice, and every relay runs', async () => {
  const budget = new TurnBudget(8, 10);
  const sessions = Array.from({ length: 20 }, () => new SendQueue(budget));
  const done: string[] = [];
  const relays = hitsPerTurn();
  const longest = await longestTurn(() =>
    Promise.all(
      sessions.flatMap((queue, s) =>
        Array.from({ length: 15 }, (_, i) =>
          queue.run(
            `chat-${i % 3}`,
            async () => i,
            async (n) => {
              busy(1);
              relays.hit();
              done.push(`${s}:${n}`);
            },
          ),
        ),
      ),
    ),
  );
  const mostInATurn = relays.stop();
  assert.equal(done.length, 300, 'every relay ran');
  // 300 relays of 1 ms; a turn holds one 10 ms slice and the relay that ends it, where a slice
  // per waiting session let ~200 run in one turn.
  assert.ok(mostInATurn <= 12, `at most ${mostInATurn} relays ran in one turn of the loop`);
  console.log(`most relays in one turn: ${mostInATurn}; longest turn: ${longest.toFixed(1)} ms`);
  for (let s = 0; s < 20; s++) {
    const mine = done.filter((d) => d.startsWith(`${s}:`)).map((d) => Number(d.split(':')[1]));
    for (const chat of [0, 1, 2]) {
      const order = mine.filter((n) => n % 3 === chat);
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `session ${s}, chat ${chat}: in the order asked`);
    }
  }
});

test('admitted work: many requests read in one turn start a slice at a time, in arrival order', async () => {
  const budget = new TurnBudget(8, 10);
  const order: number[] = [];
  // 100 requests whose handling takes 1 ms before its first await, all arriving in the same turn.
  const handle = async (i: number) => {
    const admitted = budget.admit();
    if (admitted) await admitted;
    busy(1);
    requests.hit();
    order.push(i);
    await Promise.resolve();
  };
  const requests = hitsPerTurn();
  const longest = await longestTurn(() => Promise.all(Array.from({ length: 100 }, (_, i) => handle(i))));
  const most = requests.stop();
  assert.deepEqual(order, Array.from({ length: 100 }, (_, i) => i), 'every request ran, first come first served');
  // 100 ms of handling in all; a turn runs one slice (10 ms, and the request that ends it).
  assert.ok(most <= 12, `at most ${most} requests started in one turn of the loop`);
  console.log(`most requests in one turn: ${most}; longest turn with admission: ${longest.toFixed(1)} ms`);
});

test('admission is free while the slice lasts: no wait, no extra turn', async () => {
  const budget = new TurnBudget(8, 50);
  await budget.admit(); // opens a slice (the first ever waits for a turn)
  assert.equal(budget.admit(), undefined, 'within the slice: go on at once');
  busy(60);
  const waited = budget.admit();
  assert.ok(waited instanceof Promise, 'slice used up: wait for the next turn');
  let later = false;
  const queued = budget.admit()?.then(() => (later = true));
  await waited;
  await queued;
  assert.equal(later, true, 'the one queued behind it is let in too');
});

test('relays: one at a time within a turn, yet one waiting for I/O does not hold the others up', async () => {
  const budget = new TurnBudget(8, 1000);
  const running = { now: 0, most: 0 };
  const order: string[] = [];
  const relay = async (name: string, work: () => Promise<void>) => {
    const end = await budget.acquire();
    running.now++;
    running.most = Math.max(running.most, running.now);
    try {
      await work();
      order.push(name);
    } finally {
      running.now--;
      end();
    }
  };
  // Relays that run to their end in promise continuations, as Baileys' do with keys in memory.
  const quick = (name: string) => relay(name, async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
  let answer!: () => void;
  const slow = relay('slow', () => new Promise<void>((resolve) => (answer = resolve))); // a device-list query
  const others = Promise.all(['a', 'b', 'c'].map(quick));
  await others;
  assert.deepEqual(order, ['a', 'b', 'c'], 'the others ran while the slow one waited');
  assert.equal(running.most, 2, 'the slow one and one other at a time');
  answer();
  await slow;
  assert.deepEqual(order, ['a', 'b', 'c', 'slow']);
  await Promise.all(['d', 'e', 'f', 'g'].map(quick));
  assert.equal(running.most, 2, 'quick relays never overlap');
});

test('relays: at most maxOutstanding under way, the next let in when one ends', async () => {
  const budget = new TurnBudget(2, 1000);
  const answers: Array<() => void> = [];
  let started = 0;
  const relay = async () => {
    const end = await budget.acquire();
    started++;
    await new Promise<void>((resolve) => answers.push(resolve));
    end();
  };
  const all = Promise.all([relay(), relay(), relay()]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(started, 2, 'two under way, the third waits');
  answers.shift()!();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(started, 3, 'let in when one ended');
  answers.forEach((answer) => answer());
  await all;
});
