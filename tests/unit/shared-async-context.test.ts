import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { SlotStorage, withSharedAsyncContext } from '../../server/whatsapp/shared-async-context';

const tick = () => new Promise((r) => setImmediate(r));

test('slot storages behave like AsyncLocalStorage and stay independent of each other', async () => {
  const a = new SlotStorage<string>();
  const b = new SlotStorage<string>();
  assert.equal(a.getStore(), undefined);
  await a.run('a1', async () => {
    assert.equal(a.getStore(), 'a1');
    assert.equal(b.getStore(), undefined, 'another storage sees nothing');
    await b.run('b1', async () => {
      await tick();
      assert.equal(a.getStore(), 'a1', 'the outer store survives an inner run and an await');
      assert.equal(b.getStore(), 'b1');
      await a.run('a2', async () => {
        await tick();
        assert.equal(a.getStore(), 'a2', 'nested runs shadow');
      });
      assert.equal(a.getStore(), 'a1', 'and restore');
      a.exit(() => assert.equal(a.getStore(), undefined, 'exit hides only its own slot'));
      a.exit(() => assert.equal(b.getStore(), 'b1'));
    });
  });
  assert.equal(a.getStore(), undefined);
  // Concurrent contexts do not leak into each other.
  const seen = await Promise.all(['x', 'y', 'z'].map((v) => a.run(v, async () => { await tick(); await tick(); return a.getStore(); })));
  assert.deepEqual(seen, ['x', 'y', 'z']);
});

test('withSharedAsyncContext swaps AsyncLocalStorage only while it runs', async () => {
  const { AsyncLocalStorage: Before } = await import('node:async_hooks');
  const made = withSharedAsyncContext(() => new (AsyncLocalStorage as unknown as { new (): object })());
  assert.ok(made instanceof SlotStorage, 'storages made inside are slot storages');
  const after = new AsyncLocalStorage();
  assert.ok(!(after instanceof SlotStorage), 'the builtin is restored');
  assert.equal((await import('node:async_hooks')).AsyncLocalStorage, Before);
});

test('a store set by run ends with the run: work it did not await sees no store afterwards', async () => {
  const storage = new SlotStorage<{ name: string }>();
  const transaction = { name: 'tx' };
  const seenLater: Array<{ name: string } | undefined> = [];
  let later: Promise<void> = Promise.resolve();
  const result = await storage.run(transaction, async () => {
    await tick();
    assert.equal(storage.getStore(), transaction, 'visible while the run lasts, across awaits');
    // Fire-and-forget, as Baileys' privacy-token request during a send.
    later = (async () => {
      seenLater.push(storage.getStore());
      await tick();
      await tick();
      seenLater.push(storage.getStore());
    })();
    return 'done';
  });
  assert.equal(result, 'done', 'the caller gets the callback result');
  await later;
  assert.deepEqual(seenLater, [transaction, undefined], 'inside the run it sees the store, after the run none');
  // A synchronous run ends at once too; a run that throws as well.
  let leaked: (() => { name: string } | undefined) | undefined;
  storage.run({ name: 'sync' }, () => {
    leaked = () => storage.getStore();
  });
  assert.equal(leaked?.(), undefined);
  const failing = { name: 'failing' };
  await assert.rejects(
    storage.run(failing, async () => {
      await tick();
      throw new Error('boom');
    }),
    /boom/,
  );
  // Nested runs of other stores are unaffected by the end of one.
  await storage.run({ name: 'outer' }, async () => {
    await storage.run({ name: 'inner' }, async () => tick());
    assert.equal(storage.getStore()?.name, 'outer');
  });
});

test('a finished run lets its store go, though a timer it started still holds the async context', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const storage = new SlotStorage<{ payload: Buffer }>();
  let held: WeakRef<object> | undefined;
  let timer: NodeJS.Timeout | undefined;
  await storage.run({ payload: Buffer.alloc(1024) }, async () => {
    held = new WeakRef(storage.getStore()!);
    // Like Baileys' cache timers: made during the run, alive long after it.
    timer = setTimeout(() => undefined, 60_000);
    await tick();
  });
  for (let i = 0; i < 5 && held?.deref(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.equal(held?.deref(), undefined, 'the store was collected');
  clearTimeout(timer);
});
