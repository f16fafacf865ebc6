/**
 * iq xmlns="w:g2": create, metadata, participating, add/remove/promote/demote, subject, description,
 * announcement/locked, ephemeral, invite code (get/revoke/accept/info), leave. Members' linked devices
 * get `w:gp2` notifications like from the real server.
 */
import { type BinaryNode, allChildren, bytes, child, children, IqError, lidJid, node, pnJid, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { type Group, groupNode, isAdmin, newInviteCode, participantNode } from '../world/groups.js'
import { createCommunity, linkGroups, subGroups, unlinkGroups } from './communities.js'
import type { Account } from '../world/types.js'
import { newMessageId } from '../util.js'
import { deliver } from './login.js'

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote'

/** sends a w:gp2 notification about `group` to the linked devices of its members (and of `extra`) */
export function notifyGroup(ctx: EmulatorContext, group: Group, actor: Account, content: BinaryNode, extra: Account[] = []): void {
	const targets = new Set<Account>([...[...group.members.values()].map(m => m.account), ...extra])
	const stanza = (): BinaryNode =>
		node('notification', { from: group.jid, type: 'w:gp2', id: newMessageId(), t: unixNow(), participant: lidJid(actor.lid), participant_pn: pnJid(actor.phone), addressing_mode: 'lid' }, [content])
	for (const account of targets) {
		for (const device of ctx.world.linkedDevices(account)) deliver(device, stanza())
	}
}

export function requireMember(group: Group, account: Account): void {
	if (!group.members.has(account.phone)) throw new IqError(403, 'forbidden')
}

export function requireAdmin(group: Group, account: Account): void {
	requireMember(group, account)
	if (!isAdmin(group, account)) throw new IqError(403, 'not-authorized')
}

/** a participant named in a request: its account, or only its jid when no such WhatsApp user exists */
export type ParticipantRef = Account | { unknown: string }

/** seconds an add request (the invite a user who does not allow being added gets) stays valid */
const ADD_REQUEST_TTL = 3 * 86_400

/**
 * whether `target` lets others add it to groups: privacy category groupadd `none` refuses (the
 * emulator keeps no address books, so `contacts` lets everyone add, as between saved contacts)
 */
function allowsAdd(target: Account): boolean {
	return (target.privacy.groupadd ?? 'all') !== 'none'
}

/** membership changes shared by the iq handler and the control API; returns per-participant results */
export function changeParticipants(ctx: EmulatorContext, group: Group, actor: Account, action: ParticipantAction, targets: ParticipantRef[]): BinaryNode[] {
	requireAdmin(group, actor)
	const results: BinaryNode[] = []
	const changed: Account[] = []
	for (const target of targets) {
		if ('unknown' in target) {
			results.push(node('participant', { jid: target.unknown, error: 404 }))
			continue
		}
		const member = group.members.get(target.phone)
		let error: number | undefined
		let content: BinaryNode[] | undefined
		if (action === 'add') {
			if (member) error = 409
			else if (!allowsAdd(target)) {
				error = 403
				content = [node('add_request', { code: newInviteCode(), expiration: unixNow() + ADD_REQUEST_TTL })]
			} else group.members.set(target.phone, { account: target, role: 'member' })
		} else if (!member) error = 404
		else if (action === 'remove') {
			if (member.role === 'superadmin' && target !== actor) error = 406
			else group.members.delete(target.phone)
		} else if (member.role === 'superadmin' && action === 'demote') error = 406
		else member.role = action === 'promote' ? 'admin' : 'member'
		results.push(node('participant', { jid: lidJid(target.lid), phone_number: pnJid(target.phone), error }, content))
		if (!error) changed.push(target)
	}
	if (changed.length) {
		group.distributed.clear()
		notifyGroup(ctx, group, actor, node(action, {}, changed.map(a => participantNode(a))), action === 'remove' ? changed : [])
	}
	return results
}

function participantRefs(ctx: EmulatorContext, parent: BinaryNode | undefined): ParticipantRef[] {
	return children(parent, 'participant').map(p => ctx.world.resolveJid(p.attrs.jid)?.account ?? { unknown: p.attrs.jid ?? '' })
}

/** the members a new group starts with: users who exist and allow being added (others are left out) */
function resolveParticipants(ctx: EmulatorContext, parent: BinaryNode | undefined): Account[] {
	return participantRefs(ctx, parent).filter((p): p is Account => !('unknown' in p) && allowsAdd(p))
}

export const groupsIq: IqHandler = (ctx, conn, iq) => {
	const me = meOf(conn)
	const groups = ctx.world.groups
	const op = allChildren(iq)[0]
	if (!op) throw new IqError(400, 'bad-request')
	const to = iq.attrs.to ?? ''
	if (to === '@g.us' || to === 'g.us') {
		switch (op.tag) {
			case 'participating':
				return [node('groups', {}, groups.of(me).map(groupNode))]
			case 'create': {
				if (child(op, 'parent')) {
					const community = createCommunity(ctx, me, op)
					for (const g of [community, ...groups.subGroups(community)]) notifyGroup(ctx, g, me, node('create', {}, [groupNode(g)]))
					return [groupNode(community)]
				}
				const parentJid = child(op, 'linked_parent')?.attrs.jid
				const parent = parentJid ? groups.get(parentJid) : undefined
				if (parentJid && !parent?.community) throw new IqError(404, 'item-not-found')
				if (parent) requireMember(parent, me)
				const group = groups.create(me, op.attrs.subject ?? '', resolveParticipants(ctx, op))
				if (parent) group.linkedParent = parent.jid
				notifyGroup(ctx, group, me, node('create', {}, [groupNode(group)]))
				return [groupNode(group)]
			}
			case 'leave': {
				for (const g of [...children(op, 'group'), ...children(op, 'community')]) {
					const group = groups.get(g.attrs.id ?? '')
					if (!group?.members.has(me.phone)) continue
					group.members.delete(me.phone)
					group.distributed.clear()
					notifyGroup(ctx, group, me, node('leave', {}, [participantNode(me)]), [me])
				}
				return []
			}
			case 'invite': {
				const group = groups.byInvite(op.attrs.code ?? '')
				if (!group) throw new IqError(404, 'item-not-found')
				if (iq.attrs.type === 'get') return [groupNode(group)]
				if (!group.members.has(me.phone)) {
					group.members.set(me.phone, { account: me, role: 'member' })
					group.distributed.clear()
					notifyGroup(ctx, group, me, node('add', { reason: 'invite' }, [participantNode(me)]))
				}
				return [node('group', { jid: group.jid })]
			}
			default:
				throw new IqError(400, `unsupported group operation ${op.tag}`)
		}
	}
	const group = groups.get(to)
	if (!group) throw new IqError(404, 'item-not-found')
	switch (op.tag) {
		case 'query':
			ctx.stats.groupMetadataQueries++
			requireMember(group, me)
			return [groupNode(group)]
		case 'add':
		case 'remove':
		case 'promote':
		case 'demote':
			return [node(op.tag, {}, changeParticipants(ctx, group, me, op.tag, participantRefs(ctx, op)))]
		case 'links':
			return linkGroups(ctx, me, group, op)
		case 'unlink':
			return unlinkGroups(ctx, me, group, op)
		case 'sub_groups':
			requireMember(group, me)
			return subGroups(ctx, group)
		case 'subject': {
			requireMember(group, me)
			if (group.locked) requireAdmin(group, me)
			group.subject = bytes(op)?.toString('utf8') ?? ''
			group.subjectOwner = me
			group.subjectTime = unixNow()
			notifyGroup(ctx, group, me, node('subject', { subject: group.subject, s_o: lidJid(me.lid), s_t: group.subjectTime }))
			return []
		}
		case 'description': {
			requireMember(group, me)
			if (group.locked) requireAdmin(group, me)
			const body = bytes(child(op, 'body'))?.toString('utf8')
			group.description = op.attrs.delete === 'true' || body === undefined ? undefined : { id: op.attrs.id ?? newMessageId(), text: body, owner: me, time: unixNow() }
			notifyGroup(ctx, group, me, node('description', { id: group.description?.id }, group.description ? [node('body', {}, Buffer.from(group.description.text))] : [node('delete', {})]))
			return []
		}
		case 'announcement':
		case 'not_announcement':
		case 'locked':
		case 'unlocked': {
			requireAdmin(group, me)
			if (op.tag === 'announcement' || op.tag === 'not_announcement') group.announce = op.tag === 'announcement'
			else group.locked = op.tag === 'locked'
			notifyGroup(ctx, group, me, node(op.tag, {}))
			return []
		}
		case 'ephemeral':
		case 'not_ephemeral': {
			requireMember(group, me)
			group.ephemeral = op.tag === 'ephemeral' ? Number(op.attrs.expiration ?? 0) : 0
			notifyGroup(ctx, group, me, op.tag === 'ephemeral' ? node('ephemeral', { expiration: group.ephemeral }) : node('not_ephemeral', {}))
			return []
		}
		case 'invite': {
			requireAdmin(group, me)
			if (iq.attrs.type === 'set') group.inviteCode = newInviteCode()
			return [node('invite', { code: group.inviteCode })]
		}
		default:
			throw new IqError(400, `unsupported group operation ${op.tag}`)
	}
}

function meOf(conn: ClientConnection): Account {
	const account = conn.device?.account
	if (!account) throw new IqError(401, 'not-authorized')
	return account
}
