/** What the control API answers about the emulated world: plain views of groups, accounts and devices. */
import { lidJid, pnJid } from '../binary.js'
import type { Group } from '../world/groups.js'
import type { Account, LinkedDevice } from '../world/types.js'

export interface GroupView {
	jid: string
	subject: string
	description?: string
	creator: string
	announce: boolean
	locked: boolean
	inviteCode: string
	ephemeral: number
	/** id of the group picture, when set */
	pictureId?: string
	/** a community (parent group) */
	community: boolean
	/** the community this group is linked to */
	linkedParent?: string
	participants: Array<{ phone: string; lid: string; role: string }>
}

export function groupView(g: Group): GroupView {
	return {
		jid: g.jid,
		subject: g.subject,
		description: g.description?.text,
		creator: g.creator.phone,
		announce: g.announce,
		locked: g.locked,
		inviteCode: g.inviteCode,
		ephemeral: g.ephemeral,
		pictureId: g.picture?.id,
		community: g.community,
		linkedParent: g.linkedParent,
		participants: [...g.members.values()].map(m => ({ phone: m.account.phone, lid: lidJid(m.account.lid), role: m.role }))
	}
}

export interface AccountView {
	phone: string
	jid: string
	lid: string
	name: string
	echo: boolean
	autoDeliver: boolean
	autoRead: boolean
	statusText: string
	presence: string
	devices: DeviceView[]
}

export interface DeviceView {
	jid: string
	lid: string
	phone: string
	device: number
	platform: string
	pushName?: string
	state: 'linked' | 'removed'
	online: boolean
	pairedAt: string
	lastLoginAt?: string
	queued: number
	/** sent to the live connection and not acknowledged yet */
	unacked: number
	preKeys: number
}

export function deviceView(d: LinkedDevice): DeviceView {
	return {
		jid: pnJid(d.account.phone, d.id),
		lid: lidJid(d.account.lid, d.id),
		phone: d.account.phone,
		device: d.id,
		platform: d.platform,
		pushName: d.pushName,
		state: d.state,
		online: !!d.connection?.ready,
		pairedAt: new Date(d.pairedAt).toISOString(),
		lastLoginAt: d.lastLoginAt ? new Date(d.lastLoginAt).toISOString() : undefined,
		queued: d.offline.length,
		unacked: d.connection?.unacked.length ?? 0,
		preKeys: d.preKeys.size
	}
}

export function accountView(a: Account): AccountView {
	return {
		phone: a.phone,
		jid: pnJid(a.phone),
		lid: lidJid(a.lid),
		name: a.name,
		echo: a.echo,
		autoDeliver: a.autoDeliver,
		autoRead: a.autoRead,
		statusText: a.statusText,
		presence: a.presence,
		devices: [...a.devices.values()].map(deviceView)
	}
}
