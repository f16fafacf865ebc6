import { initAuthCreds, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from 'baileys';
import { Mutex } from 'async-mutex';
import type { Logger } from '../../logger';
import type { CryptoBox } from '../../lib/crypto-box';
import { authStateRepository, type KeyWrite } from '../../repositories/auth-state.repository';
import { AuthCodec } from './codec';

/** Key types kept in memory once read; pre-keys are read once at pairing/first message, so they are not cached. */
const UNCACHED_TYPES = new Set<string>(['pre-key']);

export interface PgAuthState {
  state: AuthenticationState;
  /** Persists the current credentials (call on Baileys' `creds.update`). */
  saveCreds(): Promise<void>;
  /** Deletes credentials and keys (logout). */
  clear(): Promise<void>;
  /** Whether the credentials belong to a registered (paired) device. */
  isRegistered(): boolean;
}

/**
 * Baileys auth state in PostgreSQL: credentials and every Signal key type, encrypted with
 * AES-256-GCM, written in one transaction per batch behind a per-session lock, with an
 * in-memory cache in front. A write is in the database before Baileys continues, so a crash
 * never leaves Signal sessions behind what the peer already saw (no "Bad MAC" after restarts).
 */
export async function usePgAuthState(sessionId: string, crypto: CryptoBox, logger: Logger): Promise<PgAuthState> {
  const codec = new AuthCodec(crypto, sessionId);
  const lock = new Mutex();
  const stored = await authStateRepository.loadCreds(sessionId);
  const creds: AuthenticationCreds = stored ? codec.open<AuthenticationCreds>('creds', stored) : initAuthCreds();
  const cache = new Map<string, Map<string, unknown>>();

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
      if (missing.length) {
        const rows = await authStateRepository.getKeys(sessionId, type, missing);
        const found = new Map(rows.map((r) => [r.keyId, codec.openKey(type, r.keyId, r.value)]));
        for (const id of missing) {
          const value = found.get(id) ?? null;
          if (useCache) typeCache.set(id, value);
          if (value !== null) result[id] = value as SignalDataTypeMap[T];
        }
      }
      return result;
    },
    async set(data: SignalDataSet) {
      const writes: KeyWrite[] = [];
      for (const [type, entries] of Object.entries(data)) {
        if (!entries) continue;
        const typeCache = UNCACHED_TYPES.has(type) ? undefined : cached(type);
        for (const [id, value] of Object.entries(entries)) {
          typeCache?.set(id, value ?? null);
          writes.push({ type, keyId: id, value: value === null || value === undefined ? null : codec.seal(`${type}:${id}`, value) });
        }
      }
      await lock.runExclusive(() => authStateRepository.writeKeys(sessionId, writes));
    },
    async clear() {
      cache.clear();
      await lock.runExclusive(() => authStateRepository.clear(sessionId));
    },
  };

  return {
    state: { creds, keys },
    saveCreds: () => lock.runExclusive(() => authStateRepository.saveCreds(sessionId, codec.seal('creds', creds))),
    clear: async () => {
      cache.clear();
      await lock.runExclusive(() => authStateRepository.clear(sessionId));
      logger.info({ sessionId }, 'WhatsApp credentials and keys deleted');
    },
    isRegistered: () => Boolean(creds.registered || creds.me?.id),
  };
}
