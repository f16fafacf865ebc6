/**
 * Communities over iq xmlns="w:g2": a community is a parent group (`<parent/>` in its metadata) that
 * holds linked subgroups (`<linked_parent jid/>` in theirs). Linking and unlinking (`links`,
 * `unlink` sent to the community) need admin in the community and in the subgroup; members of both
 * get `w:gp2` notifications (`<link>`/`<unlink>` naming the other side) like from the real server.
 */
import { type BinaryNode, child, children, IqError, node } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import type { Group } from '../world/groups.js'
import type { Account } from '../world/types.js'
import { notifyGroup, requireAdmin } from './groups.js'

/** creates the community and its general announcement subgroup (`create_general_chat`) */
export function createCommunity(ctx: EmulatorContext, me: Account, op: BinaryNode): Group {
	const groups = ctx.world.groups
	const community = groups.create(me, op.attrs.subject ?? '', [])
	community.community = true
	const body = child(child(op, 'description'), 'body')?.content
	if (Buffer.isBuffer(body) && body.length) community.description = { id: child(op, 'description')?.attrs.id ?? community.id, text: body.toString('utf8'), owner: me, time: community.creation }
	if (child(op, 'create_general_chat')) {
		const general = groups.create(me, community.subject, [])
		general.defaultSubGroup = true
		general.announce = true
		general.linkedParent = community.jid
	}
	return community
}

function linkNotice(tag: 'link' | 'unlink', type: 'sub_group' | 'parent_group', other: Group): BinaryNode {
	const attrs = tag === 'link' ? { link_type: type } : { unlink_type: type, unlink_reason: 'unlink_group' }
	return node(tag, attrs, [node('group', { jid: other.jid, subject: other.subject })])
}

function subGroupOf(ctx: EmulatorContext, me: Account, jid: string | undefined): Group {
	const sub = ctx.world.groups.get(jid ?? '')
	if (!sub) throw new IqError(404, 'item-not-found')
	requireAdmin(sub, me)
	if (sub.community) throw new IqError(406, 'not-acceptable')
	return sub
}

/** `<links><link link_type="sub_group"><group jid/></link></links>` sent to the community */
export function linkGroups(ctx: EmulatorContext, me: Account, community: Group, op: BinaryNode): BinaryNode[] {
	requireAdmin(community, me)
	if (!community.community) throw new IqError(406, 'not-acceptable')
	const subs = children(op, 'link').flatMap(l => children(l, 'group')).map(g => subGroupOf(ctx, me, g.attrs.jid))
	for (const sub of subs) {
		if (sub.linkedParent && sub.linkedParent !== community.jid) throw new IqError(409, 'conflict')
	}
	for (const sub of subs) {
		if (sub.linkedParent === community.jid) continue
		sub.linkedParent = community.jid
		notifyGroup(ctx, community, me, linkNotice('link', 'sub_group', sub))
		notifyGroup(ctx, sub, me, linkNotice('link', 'parent_group', community))
	}
	return [node('links', {}, [node('link', { link_type: 'sub_group' }, subs.map(s => node('group', { jid: s.jid })))])]
}

/** `<unlink unlink_type="sub_group"><group jid/></unlink>` sent to the community */
export function unlinkGroups(ctx: EmulatorContext, me: Account, community: Group, op: BinaryNode): BinaryNode[] {
	requireAdmin(community, me)
	if (!community.community) throw new IqError(406, 'not-acceptable')
	const subs = children(op, 'group').map(g => subGroupOf(ctx, me, g.attrs.jid))
	for (const sub of subs) {
		if (sub.linkedParent !== community.jid) throw new IqError(404, 'item-not-found')
	}
	for (const sub of subs) {
		sub.linkedParent = undefined
		notifyGroup(ctx, community, me, linkNotice('unlink', 'sub_group', sub))
		notifyGroup(ctx, sub, me, linkNotice('unlink', 'parent_group', community))
	}
	return [node('unlink', { unlink_type: 'sub_group' }, subs.map(s => node('group', { jid: s.jid })))]
}

/** `<sub_groups/>` get: the community's linked groups */
export function subGroups(ctx: EmulatorContext, community: Group): BinaryNode[] {
	return [
		node(
			'sub_groups',
			{},
			ctx.world.groups.subGroups(community).map(g => node('group', { id: g.id, subject: g.subject, creation: g.creation, size: g.members.size }))
		)
	]
}
