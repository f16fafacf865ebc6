/**
 * Client-side helper for processes that run Baileys against the emulator (tests, benchmarks):
 * the minimal in-memory Baileys auth state a plain Baileys app uses.
 */
import { type AuthenticationState, initAuthCreds, makeCacheableSignalKeyStore, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from 'baileys'
import type { Logger } from 'pino'

/** a Signal key store over a Map (`type:id` → value); pass a filled map to resume stored keys */
export function memoryKeyStore(data: Map<string, unknown> = new Map()): SignalKeyStore {
	return {
		get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
			const out: { [id: string]: SignalDataTypeMap[T] } = {}
			for (const id of ids) {
				const v = data.get(`${type}:${id}`)
				if (v !== undefined) out[id] = v as SignalDataTypeMap[T]
			}
			return out
		},
		set(set: SignalDataSet) {
			for (const [type, entries] of Object.entries(set)) {
				for (const [id, value] of Object.entries(entries ?? {})) {
					if (value === null || value === undefined) data.delete(`${type}:${id}`)
					else data.set(`${type}:${id}`, value)
				}
			}
		}
	}
}

/** fresh credentials with an in-memory key store (cached the way Baileys recommends) */
export function memoryAuth(logger: Logger): AuthenticationState {
	return { creds: initAuthCreds(), keys: makeCacheableSignalKeyStore(memoryKeyStore(), logger) }
}
