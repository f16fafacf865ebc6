/** Control-API changes a member's phone makes to a group: subject, description, settings. */
import { lidJid, node, unixNow } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import { notifyGroup, requireAdmin, requireMember } from '../handlers/groups.js'
import { newMessageId } from '../util.js'
import type { Group } from '../world/groups.js'
import type { Account } from '../world/types.js'

export interface GroupChange {
	subject?: string
	description?: string
	announce?: boolean
	locked?: boolean
}

/** applies `change` as `actor`'s phone would (same rights as the iq), notifying members' linked devices */
export function changeGroup(ctx: EmulatorContext, group: Group, actor: Account, change: GroupChange): void {
	requireMember(group, actor)
	if (change.subject !== undefined || change.description !== undefined) {
		if (group.locked) requireAdmin(group, actor)
	}
	if (change.announce !== undefined || change.locked !== undefined) requireAdmin(group, actor)
	if (change.subject !== undefined) {
		group.subject = change.subject
		group.subjectOwner = actor
		group.subjectTime = unixNow()
		notifyGroup(ctx, group, actor, node('subject', { subject: group.subject, s_o: lidJid(actor.lid), s_t: group.subjectTime }))
	}
	if (change.description !== undefined) {
		group.description = change.description ? { id: newMessageId(), text: change.description, owner: actor, time: unixNow() } : undefined
		notifyGroup(ctx, group, actor, node('description', { id: group.description?.id }, group.description ? [node('body', {}, Buffer.from(group.description.text))] : [node('delete', {})]))
	}
	if (change.announce !== undefined && change.announce !== group.announce) {
		group.announce = change.announce
		notifyGroup(ctx, group, actor, node(change.announce ? 'announcement' : 'not_announcement', {}))
	}
	if (change.locked !== undefined && change.locked !== group.locked) {
		group.locked = change.locked
		notifyGroup(ctx, group, actor, node(change.locked ? 'locked' : 'unlocked', {}))
	}
}

