import { AsyncLocalStorage } from 'node:async_hooks';

const RealStorage = AsyncLocalStorage;

/**
 * Whether each enabled AsyncLocalStorage costs work on every promise the process creates. It does
 * where AsyncLocalStorage is built on async hooks (Node 20 and 22; Node 24 started with
 * --no-async-context-frame): each promise copies every enabled storage's store, so a process with
 * N storages pays N times per promise (docs/node-versions.md: 10 storages leave 11-15% of the
 * promise throughput, 50 leave 1%). Node 24 builds AsyncLocalStorage on AsyncContextFrame, where
 * a promise carries one frame whatever the number of storages. Told apart by the propagation
 * method only the async-hooks implementation has.
 */
export const storagesTaxPromises = '_propagate' in RealStorage.prototype;

let made = 0;

/** How many storages WaGo made for Baileys so far (0: Baileys got Node's own, see register.mjs). */
export function storagesMade(): number {
  return made;
}

interface Box<T> {
  value: T | undefined;
}

/** The owner given to the storages made now (see withStorageOwner). */
let owner: string | undefined;
/** The storages made with an owner, while they live. */
const owned = new Set<WeakRef<EndingStorage<unknown>>>();
const forgetOwned = new FinalizationRegistry<WeakRef<EndingStorage<unknown>>>((ref) => owned.delete(ref));

/**
 * Runs `make` with `id` as the owner of every storage it makes (synchronously): Baileys makes the
 * storage of a socket's key transactions while the socket is made, so the session id is the owner.
 */
export function withStorageOwner<R>(id: string, make: () => R): R {
  const previous = owner;
  owner = id;
  try {
    return make();
  } finally {
    owner = previous;
  }
}

/**
 * The owners of the storages whose store is current here: the sessions whose Baileys key
 * transaction this code runs in (libsignal's work runs inside one). Empty outside transactions.
 */
export function currentStorageOwners(): string[] {
  const owners = new Set<string>();
  for (const ref of owned) {
    const storage = ref.deref();
    if (storage?.owner !== undefined && storage.getStore() !== undefined) owners.add(storage.owner);
  }
  return [...owners];
}

/**
 * An AsyncLocalStorage with one difference: a store set by `run` ends with the run. Once the
 * callback returned (or the promise it returned settled), work it started without awaiting
 * (fire-and-forget) sees no store any more.
 *
 * Baileys needs this on every Node line. Its Signal key transactions keep their store in an
 * AsyncLocalStorage and commit when their callback settles; a key write made later by work the
 * transaction started (the privacy-token record, written when the token request started during a
 * send comes back) still found the finished transaction and was added to its already committed
 * changes, that is, lost. Baileys then asked for a new privacy token on most sends. With the store
 * ended, such a write goes to the key store directly.
 *
 * The store is kept in a box, and the box is what the async context holds: every promise and
 * timer created during a run keeps the context alive, some for minutes (Baileys' 5-minute cache
 * timers). Emptying the box when the run ends lets a finished transaction's cache and changes
 * (each send's Signal session record) go with the young generation.
 */
abstract class EndingStorage<T> {
  static bind = RealStorage.bind;
  static snapshot = RealStorage.snapshot;

  /** Whose it is (the session, see withStorageOwner); undefined when made outside withStorageOwner. */
  readonly owner = owner;

  constructor() {
    made += 1;
    if (this.owner === undefined) return;
    const ref = new WeakRef<EndingStorage<unknown>>(this);
    owned.add(ref);
    forgetOwned.register(this, ref);
  }

  /** The box of the current async context, if any. */
  protected abstract current(): Box<T> | undefined;
  /** Runs `work` with `box` (none: undefined) as this storage's box. */
  protected abstract within<R>(box: Box<T> | undefined, work: () => R): R;
  abstract enterWith(store: T): void;
  abstract disable(): void;

  getStore(): T | undefined {
    return this.current()?.value;
  }

  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R {
    const box: Box<T> = { value: store };
    const end = () => {
      box.value = undefined;
    };
    let result: R;
    try {
      result = this.within(box, () => callback(...args));
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
    return this.within(undefined, () => callback(...args));
  }
}

/**
 * One real AsyncLocalStorage carries the stores of every SlotStorage: each is a slot in the map
 * the shared storage holds, so the cost per promise stays that of one storage however many
 * Baileys sockets run (measured on Node 20: 20 connected sessions nearly doubled the CPU of each
 * send). Used where storages tax promises.
 */
const shared = new RealStorage<ReadonlyMap<symbol, unknown>>();
const EMPTY: ReadonlyMap<symbol, unknown> = new Map();

export class SlotStorage<T> extends EndingStorage<T> {
  private readonly slot = Symbol('slot');
  private enabled = true;

  private with(box: Box<T> | undefined): ReadonlyMap<symbol, unknown> {
    const next = new Map(shared.getStore() ?? EMPTY);
    if (box === undefined) next.delete(this.slot);
    else next.set(this.slot, box);
    return next;
  }

  protected current(): Box<T> | undefined {
    if (!this.enabled) return undefined;
    return shared.getStore()?.get(this.slot) as Box<T> | undefined;
  }

  protected within<R>(box: Box<T> | undefined, work: () => R): R {
    this.enabled = true;
    return shared.run(this.with(box), work);
  }

  enterWith(store: T): void {
    this.enabled = true;
    shared.enterWith(this.with({ value: store }));
  }

  disable(): void {
    this.enabled = false;
  }
}

/** Each storage its own real AsyncLocalStorage (of boxes). Used where storages cost promises nothing. */
export class OwnStorage<T> extends EndingStorage<T> {
  private readonly real = new RealStorage<Box<T> | undefined>();

  protected current(): Box<T> | undefined {
    return this.real.getStore();
  }

  protected within<R>(box: Box<T> | undefined, work: () => R): R {
    return this.real.run(box, work);
  }

  enterWith(store: T): void {
    this.real.enterWith({ value: store });
  }

  disable(): void {
    this.real.disable();
  }
}

/** The AsyncLocalStorage Baileys gets on this Node line (see baileys-async-hooks.ts). */
export const BaileysStorage = storagesTaxPromises ? SlotStorage : OwnStorage;
