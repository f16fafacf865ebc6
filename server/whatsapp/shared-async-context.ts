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

/** An AsyncLocalStorage with the standard semantics, stored as a slot of the shared one. */
export class SlotStorage<T> {
  private readonly slot = Symbol('slot');
  private enabled = true;

  private with(store: T | undefined): ReadonlyMap<symbol, unknown> {
    const next = new Map(shared.getStore() ?? EMPTY);
    if (store === undefined) next.delete(this.slot);
    else next.set(this.slot, store);
    return next;
  }

  getStore(): T | undefined {
    if (!this.enabled) return undefined;
    return shared.getStore()?.get(this.slot) as T | undefined;
  }

  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    this.enabled = true;
    return shared.run(this.with(store), callback, ...args);
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
