/** Groups of the emulated world: metadata, membership, roles, settings, invite codes. */
import { randomBytes } from 'node:crypto'
import { type BinaryNode, lidJid, node, pnJid } from '../binary.js'
import type { Account } from './types.js'

export type GroupRole = 'superadmin' | 'admin' | 'member'

export interface Group {
	/** user part of the jid, e.g. 120363012345678901 */
	id: string
	jid: string
	subject: string
	subjectOwner: Account
	subjectTime: number
	creation: number
	creator: Account
	description?: { id: string; text: string; owner: Account; time: number }
	/** by phone */
	members: Map<string, { account: Account; role: GroupRole }>
	announce: boolean
	locked: boolean
	ephemeral: number
	inviteCode: string
	/** group picture (jpeg) and its id, when set */
	picture?: { data: Buffer; id: string; author: Account }
	/** a community (parent group): its subgroups point at it with linkedParent */
	community: boolean
	/** the community's general (announcement) subgroup, created with it */
	defaultSubGroup: boolean
	/** jid of the community this group is linked to */
	linkedParent?: string
	/** linked-device jids that already have the phone senders' sender keys: `${senderPhone}>${deviceJid}` */
	distributed: Set<string>
}

export class GroupStore {
	private readonly groups = new Map<string, Group>()
	private counter = 0

	list(): Group[] {
		return [...this.groups.values()]
	}

	get(jidOrId: string): Group | undefined {
		return this.groups.get(jidOrId.replace(/@g\.us$/, ''))
	}

	byInvite(code: string): Group | undefined {
		return this.list().find(g => g.inviteCode === code)
	}

	of(account: Account): Group[] {
		return this.list().filter(g => g.members.has(account.phone))
	}

	clear(): void {
		this.groups.clear()
	}

	create(creator: Account, subject: string, members: Account[]): Group {
		const now = Math.floor(Date.now() / 1000)
		const id = `1203630${String(Date.now()).slice(-8)}${String(++this.counter).padStart(4, '0')}`
		const group: Group = {
			id,
			jid: `${id}@g.us`,
			subject,
			subjectOwner: creator,
			subjectTime: now,
			creation: now,
			creator,
			members: new Map([[creator.phone, { account: creator, role: 'superadmin' as GroupRole }]]),
			announce: false,
			locked: false,
			ephemeral: 0,
			inviteCode: newInviteCode(),
			community: false,
			defaultSubGroup: false,
			distributed: new Set()
		}
		for (const m of members) if (!group.members.has(m.phone)) group.members.set(m.phone, { account: m, role: 'member' })
		this.groups.set(id, group)
		return group
	}

	/** the groups linked to a community */
	subGroups(community: Group): Group[] {
		return this.list().filter(g => g.linkedParent === community.jid)
	}

	delete(group: Group): void {
		this.groups.delete(group.id)
	}
}

export function newInviteCode(): string {
	return randomBytes(16).toString('base64url').slice(0, 22)
}

export function isAdmin(group: Group, account: Account): boolean {
	const role = group.members.get(account.phone)?.role
	return role === 'admin' || role === 'superadmin'
}

export function participantNode(account: Account, role?: GroupRole): BinaryNode {
	return node('participant', { jid: lidJid(account.lid), phone_number: pnJid(account.phone), type: role && role !== 'member' ? role : undefined })
}

/** the <group> node Baileys' extractGroupMetadata reads */
export function groupNode(group: Group): BinaryNode {
	const content: BinaryNode[] = [...group.members.values()].map(m => participantNode(m.account, m.role))
	if (group.description) {
		content.push(
			node('description', { id: group.description.id, participant: lidJid(group.description.owner.lid), participant_pn: pnJid(group.description.owner.phone), t: group.description.time }, [
				node('body', {}, Buffer.from(group.description.text))
			])
		)
	}
	if (group.announce) content.push(node('announcement', {}))
	if (group.locked) content.push(node('locked', {}))
	if (group.ephemeral) content.push(node('ephemeral', { expiration: group.ephemeral }))
	if (group.community) content.push(node('parent', { default_membership_approval_mode: 'request_required' }))
	if (group.defaultSubGroup) content.push(node('default_sub_group', {}))
	if (group.linkedParent) content.push(node('linked_parent', { jid: group.linkedParent }))
	return node(
		'group',
		{
			id: group.id,
			subject: group.subject,
			s_t: group.subjectTime,
			s_o: lidJid(group.subjectOwner.lid),
			s_o_pn: pnJid(group.subjectOwner.phone),
			creation: group.creation,
			creator: lidJid(group.creator.lid),
			creator_pn: pnJid(group.creator.phone),
			addressing_mode: 'lid',
			size: group.members.size
		},
		content
	)
}
