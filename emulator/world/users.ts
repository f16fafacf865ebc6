/**
 * What the emulated server keeps about an account beyond its keys and messages: a verified
 * business name, its profile picture id, the broadcast lists it owns, who subscribed to its
 * presence, and the presence updates its phone saw (kept beside the account, like app state).
 */
import type { Account } from './types.js'

export interface BroadcastList {
	/** the list id (the user part of `<id>@broadcast`) */
	id: string
	name: string
	/** recipients, as PN jids */
	recipients: string[]
}

export interface SeenPresence {
	/** PN jid of the account whose presence changed */
	from: string
	type: 'available' | 'unavailable'
	last?: number
	at: number
}

export interface AccountUserState {
	/** verified business name (a business account), shown in usync's `business` protocol */
	businessName?: string
	/** id of the current profile picture (changes with every new picture) */
	pictureId?: string
	broadcastLists: Map<string, BroadcastList>
	/** accounts that subscribed to this account's presence (by phone) */
	presenceSubscribers: Set<string>
	/** presence updates this account's phone received from accounts it subscribed to, oldest first */
	presencesSeen: SeenPresence[]
}

const states = new WeakMap<Account, AccountUserState>()

export function userStateOf(account: Account): AccountUserState {
	let state = states.get(account)
	if (!state) {
		state = { broadcastLists: new Map(), presenceSubscribers: new Set(), presencesSeen: [] }
		states.set(account, state)
	}
	return state
}

export function recordSeenPresence(account: Account, seen: SeenPresence): void {
	const list = userStateOf(account).presencesSeen
	list.push(seen)
	if (list.length > 1000) list.shift()
}
