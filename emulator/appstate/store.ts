/**
 * What the emulated server and phone keep of an account's app state: the account's app-state sync
 * key (the phone shares it with every newly linked device), each collection's version and patches
 * (handed to devices that resync), and every decoded mutation (what the phone "saw").
 */
import { proto } from 'baileys'
import { randomBytes } from '../crypto.js'
import type { Account } from '../world/types.js'
import type { DecodedMutation } from './codec.js'
import { emptyIntegrity, type IntegrityState, mixMutation } from './lthash.js'

export interface AppStateKey {
	keyId: Buffer
	keyData: Buffer
	timestamp: number
}

/** one mutation a linked device synced, as the phone applied it */
export interface AppStateMutation {
	/** pin, archive, mute, markChatAsRead, deleteChat, … (the index's first element; "pin_v1" reads "pin") */
	action: string
	/** the chat (index[1]) when the action concerns one */
	chat?: string
	/** the action's value, e.g. { pinned: true } for pin (proto JSON) */
	value: Record<string, unknown>
	operation: 'set' | 'remove'
	index: string[]
	collection: string
	/** collection version this mutation's patch produced */
	version: number
	/** device jid that sent the patch */
	device: string
	at: string
}

export interface Collection {
	version: number
	/** the collection's integrity (LT) hash and the value MAC held at each index */
	integrity: IntegrityState
	/** encoded SyncdPatch by version (version set inside) */
	patches: Array<{ version: number; bytes: Buffer }>
}

export interface AccountAppState {
	key: AppStateKey
	collections: Map<string, Collection>
	mutations: AppStateMutation[]
	/** patches still to refuse with 409 conflict, as if another device had just pushed (fault injection) */
	conflictsToInject: number
}

const states = new WeakMap<Account, AccountAppState>()

export function appStateOf(account: Account): AccountAppState {
	let state = states.get(account)
	if (!state) {
		const keyId = Buffer.concat([Buffer.alloc(2), randomBytes(4)])
		state = { key: { keyId, keyData: randomBytes(32), timestamp: Date.now() }, collections: new Map(), mutations: [], conflictsToInject: 0 }
		states.set(account, state)
	}
	return state
}

export function collectionOf(state: AccountAppState, name: string): Collection {
	let c = state.collections.get(name)
	if (!c) {
		c = { version: 0, patches: [], integrity: emptyIntegrity() }
		state.collections.set(name, c)
	}
	return c
}

const ACTION_ALIASES: Record<string, string> = { pin_v1: 'pin' }

/** the value object of a SyncActionValue (the one set action field besides timestamp) */
function actionValue(value: proto.ISyncActionValue): Record<string, unknown> {
	const json = proto.SyncActionValue.toObject(proto.SyncActionValue.fromObject(value), { longs: Number, enums: String, bytes: String, defaults: false }) as Record<string, unknown>
	const fields = Object.keys(json).filter(k => k !== 'timestamp')
	if (fields.length === 1) {
		const inner = json[fields[0]!]
		if (typeof inner === 'object' && inner !== null) return inner as Record<string, unknown>
	}
	return json
}

/** moves the collection's integrity hash on by the mutations of a patch */
export function mixPatch(c: Collection, decoded: DecodedMutation[]): void {
	for (const m of decoded) mixMutation(c.integrity, m)
}

export function recordMutations(state: AccountAppState, collection: string, version: number, device: string, decoded: DecodedMutation[]): AppStateMutation[] {
	const at = new Date().toISOString()
	const added = decoded.map(m => {
		const [first = ''] = m.index
		// the chat is the index's first JID (index[1] for most actions; label_jid/label_message name the label first)
		const chat = m.index.slice(1).find(part => part.includes('@'))
		return { action: ACTION_ALIASES[first] ?? first, chat, value: actionValue(m.value), operation: m.operation, index: m.index, collection, version, device, at }
	})
	state.mutations.push(...added)
	if (state.mutations.length > 5000) state.mutations.splice(0, state.mutations.length - 5000)
	return added
}

/** the patch bytes to hand a device that resyncs from `version` */
export function patchesAfter(c: Collection, version: number): Buffer[] {
	return c.patches.filter(p => p.version > version).map(p => p.bytes)
}

export function storePatch(c: Collection, patch: proto.ISyncdPatch, version: number): void {
	const bytes = Buffer.from(proto.SyncdPatch.encode({ ...patch, version: { version } }).finish())
	c.patches.push({ version, bytes })
	if (c.patches.length > 2000) c.patches.shift()
	c.version = version
}
