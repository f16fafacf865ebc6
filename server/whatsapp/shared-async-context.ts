import asyncHooks from 'node:async_hooks';
import { syncBuiltinESMExports } from 'node:module';

const RealStorage = asyncHooks.AsyncLocalStorage;

/**
 * One real AsyncLocalStorage carries the stores of every Baileys socket. On Node 20, each
 * enabled AsyncLocalStorage costs work on every promise the process creates, and Baileys makes
 * one per socket: with N sessions every promise paid N times (measured: 20 connected sessions
 * nearly doubled the CPU of each send). Here each socket's storage is a slot in a map held by
 * one shared storage, so the cost no longer grows with the number of sessions.
 */
const shared = new RealStorage<ReadonlyMap<symbol, unknown>>();
const EMPTY: ReadonlyMap<symbol, unknown> = new Map();

/**
 * An AsyncLocalStorage stored as a slot of the shared one, with one difference: a store set by
 * `run` ends with the run. Once the callback returned (or the promise it returned settled),
 * work it started without awaiting (fire-and-forget) sees no store any more.
 *
 * Baileys needs this. Its Signal key transactions keep their store in an AsyncLocalStorage and
 * commit when their callback settles; a key write made later by work the transaction started
 * (the privacy-token record, written when the token request started during a send comes back)
 * still found the finished transaction and was added to its already committed changes, that
 * is, lost. Baileys then asked for a new privacy token on most sends. With the store ended,
 * such a write goes to the key store directly.
 */
export class SlotStorage<T> {
  private readonly slot = Symbol('slot');
  private enabled = true;

  /**
   * The shared map holds a box, not the store: every promise and timer created during a run
   * keeps the map (the async context) alive, some for minutes (Baileys' 5-minute cache timers),
   * and through it the store. Emptying the box when the run ends lets a finished transaction's
   * cache and changes (each send's Signal session record) go with the young generation.
   */
  private with(box: { value: T | undefined } | undefined): ReadonlyMap<symbol, unknown> {
    const next = new Map(shared.getStore() ?? EMPTY);
    if (box === undefined) next.delete(this.slot);
    else next.set(this.slot, box);
    return next;
  }

  getStore(): T | undefined {
    if (!this.enabled) return undefined;
    return (shared.getStore()?.get(this.slot) as { value: T | undefined } | undefined)?.value;
  }

  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    this.enabled = true;
    const box: { value: T | undefined } = { value: store };
    const end = () => {
      box.value = undefined;
    };
    let result: R;
    try {
      result = shared.run(this.with(box), callback, ...args);
    } catch (error) {
      end();
      throw error;
    }
    if (result instanceof Promise) {
      // Ends the store when the run's promise settles; the caller still gets the original promise.
      result.then(end, end);
    } else {
      end();
    }
    return result;
  }

  exit<R, A extends unknown[]>(callback: (...args: A) => R, ...args: A): R {
    return shared.run(this.with(undefined), callback, ...args);
  }

  enterWith(store: T): void {
    this.enabled = true;
    shared.enterWith(this.with({ value: store }));
  }

  disable(): void {
    this.enabled = false;
  }

  static bind = RealStorage.bind;
  static snapshot = RealStorage.snapshot;
}

/**
 * Runs `create` (synchronously) with `AsyncLocalStorage` from node:async_hooks replaced by
 * SlotStorage, so storages made during it — Baileys' per-socket transaction storage — share one
 * real storage. The builtin is restored before this returns; no other code sees the swap.
 */
export function withSharedAsyncContext<R>(create: () => R): R {
  const hooks = asyncHooks as { AsyncLocalStorage: unknown };
  hooks.AsyncLocalStorage = SlotStorage;
  syncBuiltinESMExports();
  try {
    return create();
  } finally {
    hooks.AsyncLocalStorage = RealStorage;
    syncBuiltinESMExports();
  }
}
