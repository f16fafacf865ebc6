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
  /** Stores whose run is over (objects only; a primitive store can't be told apart). */
  private readonly ended = new WeakSet<object>();

  private with(store: T | undefined): ReadonlyMap<symbol, unknown> {
    const next = new Map(shared.getStore() ?? EMPTY);
    if (store === undefined) next.delete(this.slot);
    else next.set(this.slot, store);
    return next;
  }

  getStore(): T | undefined {
    if (!this.enabled) return undefined;
    const store = shared.getStore()?.get(this.slot) as T | undefined;
    return typeof store === 'object' && store !== null && this.ended.has(store) ? undefined : store;
  }

  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    this.enabled = true;
    const end = () => {
      if (typeof store === 'object' && store !== null) this.ended.add(store);
    };
    let result: R;
    try {
      result = shared.run(this.with(store), callback, ...args);
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
    shared.enterWith(this.with(store));
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
