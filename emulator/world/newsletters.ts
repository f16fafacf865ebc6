/**
 * WhatsApp channels (newsletters) of the emulated world: created by an account (its owner), found
 * by JID or invite code, followed by accounts, with posts (numbered by server id) and reactions.
 */
import { randomBytes } from 'node:crypto'
import type { World } from './world.js'

export interface ChannelPost {
	serverId: number
	id: string
	t: number
	/** the post's proto.Message bytes (channels are not end-to-end encrypted: plaintext) */
	plaintext: Buffer
	/** reaction code → phones that reacted with it */
	reactions: Map<string, Set<string>>
	views: number
}

export interface Channel {
	jid: string
	name: string
	description: string
	invite: string
	createdAt: number
	owner: string
	followers: Set<string>
	posts: ChannelPost[]
	verification: 'unverified' | 'verified'
	/** the channel's picture (JPEG) and its id, when it has one */
	picture?: { data: Buffer; id: string }
}

export class ChannelStore {
	private readonly byJid = new Map<string, Channel>()

	create(owner: string, name: string, description: string, picture?: Buffer): Channel {
		let jid: string
		do jid = `1203632${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}@newsletter`
		while (this.byJid.has(jid))
		const channel: Channel = {
			jid,
			name,
			description,
			invite: randomBytes(16).toString('base64url').replace(/[-_]/g, 'A').slice(0, 22),
			createdAt: Math.floor(Date.now() / 1000),
			owner,
			followers: new Set(),
			posts: [],
			verification: 'unverified',
			...(picture ? { picture: { data: picture, id: String(Date.now()) } } : {})
		}
		this.byJid.set(jid, channel)
		return channel
	}

	get(jid: string): Channel | undefined {
		return this.byJid.get(jid)
	}

	byInvite(code: string): Channel | undefined {
		for (const c of this.byJid.values()) if (c.invite === code) return c
		return undefined
	}

	list(): Channel[] {
		return [...this.byJid.values()]
	}

	/** channels the account owns or follows */
	of(phone: string): Channel[] {
		return this.list().filter(c => c.owner === phone || c.followers.has(phone))
	}

	clear(): void {
		this.byJid.clear()
	}
}

const stores = new WeakMap<World, ChannelStore>()

export function channelsOf(world: World): ChannelStore {
	let store = stores.get(world)
	if (!store) {
		store = new ChannelStore()
		stores.set(world, store)
	}
	return store
}
