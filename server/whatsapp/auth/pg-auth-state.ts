import { initAuthCreds, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from 'baileys';
import { Mutex } from 'async-mutex';
import type { Logger } from '../../logger';
import type { CryptoBox } from '../../lib/crypto-box';
import { authStateRepository, type KeyWrite } from '../../repositories/auth-state.repository';
import { AuthCodec } from './codec';
import { retryWhileUnreachable } from '../../db/transient';
import { KeyWriteBatcher } from './key-write-batcher';
import { trimClosedSessions } from './session-record-trim';

/** A key change waiting for the writer (still in clear: it is sealed when written). */
interface PendingWrite {
  type: string;
  keyId: string;
  value: unknown;
}

/** The shortest time between two key batches of a session (group commit). */
const KEY_BATCH_GAP_MS = 25;

/** One batcher for the process: the sessions' key batches of a moment share one statement. */
let batcher: KeyWriteBatcher | undefined;
const keyBatcher = (logger: Logger) => (batcher ??= new KeyWriteBatcher((rows) => authStateRepository.writeKeysOfSessions(rows), logger.child({ component: 'key-writer' })));

/** Key types kept in memory once read; pre-keys are read once at pairing/first message, so they are not cached. */
const UNCACHED_TYPES = new Set<string>(['pre-key']);

export interface PgAuthState {
  state: AuthenticationState;
  /** Resolves once every key update made so far is in the database. */
  flush(): Promise<void>;
  /** Persists the current credentials (call on Baileys' `creds.update`). */
  saveCreds(): Promise<void>;
  /** Deletes credentials and keys (logout). */
  clear(): Promise<void>;
  /** Whether the credentials belong to a registered (paired) device. */
  isRegistered(): boolean;
}

/**
 * Baileys auth state in PostgreSQL: credentials and every Signal key type, encrypted with
 * AES-256-GCM, written in order in one atomic statement per batch (group commit, at most
 * ~25 ms apart and a few ms behind; flushed on disconnect, logout and shutdown), with an in-memory cache in front.
 */
export async function usePgAuthState(sessionId: string, crypto: CryptoBox, logger: Logger): Promise<PgAuthState> {
  const codec = new AuthCodec(crypto, sessionId);
  const lock = new Mutex();
  const stored = await authStateRepository.loadCreds(sessionId);
  const creds: AuthenticationCreds = stored ? codec.open<AuthenticationCreds>('creds', stored) : initAuthCreds();
  const cache = new Map<string, Map<string, unknown>>();

  // Write-behind with group commit. Baileys commits every send's key changes inside one
  // per-account lock, so awaiting a database round trip there would cap a session at a few
  // hundred sends per second. Instead `set` updates the cache and queues the change; a single
  // writer commits queued changes in order, each batch in one statement, continuously (a
  // batch is at most a few milliseconds behind). `flush()` waits until everything queued is
  // written: disconnect, logout and shutdown call it. A failed batch is retried, never dropped.
  // Values are encrypted when their batch is written, not when set: a key changed many times
  // within one batch (a contact's Signal session during a burst) is serialised and sealed once.
  let pending = new Map<string, PendingWrite>();
  let inflight = new Map<string, PendingWrite>();
  const sealBatch = (batch: Map<string, PendingWrite>): KeyWrite[] => {
    const rows: KeyWrite[] = [];
    for (const w of batch.values()) {
      try {
        rows.push({ type: w.type, keyId: w.keyId, value: w.value === null ? null : codec.seal(`${w.type}:${w.keyId}`, w.value) });
      } catch (error) {
        // Not serialisable: it can never be stored (and retrying would not change that).
        logger.error({ err: error, type: w.type, keyId: w.keyId }, 'a Signal key could not be serialised; it is kept in memory only');
      }
    }
    return rows;
  };
  let writer: Promise<void> | undefined;
  const unwritten = (type: string, id: string) => pending.get(`${type}\u0000${id}`) ?? inflight.get(`${type}\u0000${id}`);
  let lastBatchAt = 0;
  const drain = async () => {
    while (pending.size) {
      // Batches at most every KEY_BATCH_GAP_MS: during a burst each then carries several sends'
      // changes (and a Signal session changed by all of them is sealed once), not one each.
      const wait = lastBatchAt + KEY_BATCH_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastBatchAt = Date.now();
      const batch = pending;
      inflight = batch;
      pending = new Map();
      try {
        const rows = sealBatch(batch);
        await lock.runExclusive(() => keyBatcher(logger).write(sessionId, rows));
        inflight = new Map();
      } catch (error) {
        inflight = new Map();
        logger.error({ err: error, keys: batch.size }, 'could not write Signal keys; retrying');
        for (const [k, v] of batch) if (!pending.has(k)) pending.set(k, v);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const startWriter = () => {
    writer ??= drain().finally(() => {
      writer = undefined;
      if (pending.size) startWriter();
    });
    return writer;
  };
  const flushAll = async () => {
    while (writer || pending.size) await startWriter();
  };

  const cached = (type: string) => {
    let map = cache.get(type);
    if (!map) cache.set(type, (map = new Map()));
    return map;
  };

  const keys: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      const useCache = !UNCACHED_TYPES.has(type);
      const typeCache = cached(type);
      const missing: string[] = [];
      for (const id of ids) {
        if (useCache && typeCache.has(id)) {
          const value = typeCache.get(id);
          if (value !== null && value !== undefined) result[id] = value as SignalDataTypeMap[T];
        } else {
          missing.push(id);
        }
      }
      const fromDb: string[] = [];
      for (const id of missing) {
        // A change not yet written wins over the database.
        const write = unwritten(type, id);
        if (!write) fromDb.push(id);
        else if (write.value !== null) result[id] = write.value as SignalDataTypeMap[T];
      }
      if (fromDb.length) {
        const rows = await authStateRepository.getKeys(sessionId, type, fromDb);
        const found = new Map(rows.map((r) => [r.keyId, codec.openKey(type, r.keyId, r.value)]));
        for (const id of fromDb) {
          const value = found.get(id) ?? null;
          if (useCache) typeCache.set(id, value);
          if (value !== null) result[id] = value as SignalDataTypeMap[T];
        }
      }
      return result;
    },
    async set(data: SignalDataSet) {
      for (const [type, entries] of Object.entries(data)) {
        if (!entries) continue;
        const typeCache = UNCACHED_TYPES.has(type) ? undefined : cached(type);
        for (const [id, value] of Object.entries(entries)) {
          // Replaced Signal sessions pile up with every device look-up (see session-record-trim).
          if (type === 'session') trimClosedSessions(value);
          typeCache?.set(id, value ?? null);
          pending.set(`${type}\u0000${id}`, { type, keyId: id, value: value ?? null });
        }
      }
      void startWriter();
    },
    async clear() {
      await flushAll();
      cache.clear();
      await lock.runExclusive(() => authStateRepository.clear(sessionId));
    },
  };

  return {
    state: { creds, keys },
    // Each attempt seals the credentials as they are then: one written after PostgreSQL came back
    // carries every change made while it was away.
    saveCreds: () =>
      retryWhileUnreachable(() => lock.runExclusive(() => authStateRepository.saveCreds(sessionId, codec.seal('creds', creds))), { logger, what: 'saving WhatsApp credentials' }),
    flush: flushAll,
    clear: async () => {
      await flushAll();
      cache.clear();
      await lock.runExclusive(() => authStateRepository.clear(sessionId));
      logger.info({ sessionId }, 'WhatsApp credentials and keys deleted');
    },
    isRegistered: () => Boolean(creds.registered || creds.me?.id),
  };
}
