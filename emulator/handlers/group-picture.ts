/**
 * Group pictures over iq xmlns="w:profile:picture" with `target` a group jid: any member may set it
 * unless the group is locked (then admins only); members' linked devices get a
 * `<notification type="picture" from=GROUP><set|delete author id/></notification>`.
 */
import { type BinaryNode, bytes, child, IqError, lidJid, node, unixNow } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import type { Group } from '../world/groups.js'
import type { Account } from '../world/types.js'
import { newMessageId } from '../util.js'
import { deliver } from './login.js'
import { requireAdmin, requireMember } from './groups.js'

let lastPictureId = 0

/** numeric picture ids like WhatsApp's, increasing even within one millisecond */
function newPictureId(): string {
	lastPictureId = Math.max(lastPictureId + 1, Date.now())
	return String(lastPictureId)
}

export function groupPictureIq(ctx: EmulatorContext, me: Account, iq: BinaryNode): BinaryNode[] {
	const group = ctx.world.groups.get(iq.attrs.target ?? '')
	if (!group) throw new IqError(404, 'item-not-found')
	requireMember(group, me)
	if (iq.attrs.type !== 'set') {
		if (!group.picture) throw new IqError(404, 'item-not-found')
		const type = child(iq, 'picture')?.attrs.type ?? 'preview'
		return [node('picture', { id: group.picture.id, type, direct_path: `/pp/${group.id}.jpg`, url: `${ctx.httpBase()}/pp/${group.id}.jpg` })]
	}
	if (group.locked) requireAdmin(group, me)
	const data = bytes(child(iq, 'picture'))
	group.picture = data?.length ? { data, id: newPictureId(), author: me } : undefined
	notifyPicture(ctx, group, me)
	return group.picture ? [node('picture', { id: group.picture.id })] : []
}

function notifyPicture(ctx: EmulatorContext, group: Group, actor: Account): void {
	const content = group.picture
		? node('set', { jid: group.jid, id: group.picture.id, author: lidJid(actor.lid) })
		: node('delete', { jid: group.jid, author: lidJid(actor.lid) })
	for (const m of group.members.values()) {
		for (const device of ctx.world.linkedDevices(m.account)) {
			deliver(device, node('notification', { from: group.jid, type: 'picture', id: newMessageId(), t: unixNow() }, [content]))
		}
	}
}
