import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { OwnStorage, SlotStorage, BaileysStorage, storagesTaxPromises } from '../../server/whatsapp/async-context/storages';
import { WAGO_NODE_IMPORTS } from '../../server/whatsapp/async-context/node-args';

const tick = () => new Promise((r) => setImmediate(r));

// Both kinds behave the same; which one Baileys gets depends on the Node line.
const kinds = [
  ['SlotStorage', SlotStorage],
  ['OwnStorage', OwnStorage],
] as const;

for (const [name, Storage] of kinds) {
  test(`${name}: behaves like AsyncLocalStorage, and storages stay independent of each other`, async () => {
    const a = new Storage<string>();
    const b = new Storage<string>();
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

  test(`${name}: a store set by run ends with the run: work it did not await sees no store afterwards`, async () => {
    const storage = new Storage<{ name: string }>();
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

  test(`${name}: a finished run lets its store go, though a timer it started still holds the async context`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const storage = new Storage<{ payload: Buffer }>();
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
}

test('Baileys gets the shared storage where storages tax promises, its own per socket where they do not', () => {
  const [major] = process.versions.node.split('.').map(Number);
  // Node 20 and 22 build AsyncLocalStorage on async hooks; Node 24 on AsyncContextFrame.
  assert.equal(storagesTaxPromises, major < 24, `Node ${process.versions.node}`);
  assert.equal(BaileysStorage, major < 24 ? SlotStorage : OwnStorage);
  // The builtin stays Node's own.
  assert.ok(!(new AsyncLocalStorage() instanceof SlotStorage || new AsyncLocalStorage() instanceof OwnStorage));
});

test('Baileys, loaded with the module hook, makes its key-transaction storage from BaileysStorage; the builtin is untouched', () => {
  // A fresh process: the hook must be registered before Baileys is loaded.
  const script = `
    const { addTransactionCapability } = await import('baileys');
    const { storagesMade, BaileysStorage } = await import(${JSON.stringify(new URL('../../server/whatsapp/async-context/storages.ts', import.meta.url).href)});
    const hooks = await import('node:async_hooks');
    const log = { trace() {}, debug() {}, warn() {}, error() {} };
    const before = storagesMade();
    const keys = addTransactionCapability({ get: async () => ({}), set: async () => {} }, log, { maxCommitRetries: 1, delayBetweenTriesMs: 1 });
    const inside = await keys.transaction(async () => keys.isInTransaction(), 'k');
    console.log(JSON.stringify({ made: storagesMade() - before, inside, after: keys.isInTransaction(), builtin: hooks.AsyncLocalStorage !== BaileysStorage }));
  `;
  const out = execFileSync(process.execPath, [...WAGO_NODE_IMPORTS, '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { made: 1, inside: true, after: false, builtin: true });
});
