/**
 * <presence> (available/unavailable, subscribe) and <chatstate> (composing/paused/recording) from
 * linked devices. Subscriptions are answered with the target's presence and remembered: an
 * account's later presence changes reach the accounts subscribed to it (their linked devices get
 * a <presence>, their phones record it). Chatstates are recorded on emulated phones and forwarded
 * to the target's linked devices.
 */
import { allChildren, node, parseJid, pnJid, unixNow } from '../binary.js'
import type { EmulatorContext, StanzaHandler } from '../context.js'
import type { Account } from '../world/types.js'
import { recordSeenPresence, userStateOf } from '../world/users.js'

/** `account`'s presence changed: every account subscribed to it sees the change */
export function announcePresence(ctx: EmulatorContext, account: Account, type: 'available' | 'unavailable'): void {
	account.presence = type
	if (type === 'unavailable') account.lastSeen = unixNow()
	const last = type === 'unavailable' ? account.lastSeen : undefined
	for (const phone of userStateOf(account).presenceSubscribers) {
		const subscriber = ctx.world.getByPhone(phone)
		if (!subscriber) continue
		recordSeenPresence(subscriber, { from: pnJid(account.phone), type, last, at: Date.now() })
		for (const device of ctx.world.linkedDevices(subscriber)) {
			if (device.connection?.ready) device.connection.send(node('presence', { from: pnJid(account.phone), type, last }))
		}
	}
}

export const presenceStanza: StanzaHandler = (ctx, conn, presence) => {
	const device = conn.device
	if (!device) return
	const { type, to, name } = presence.attrs
	if (name) device.pushName = name
	if (type === 'subscribe' && to) {
		const target = ctx.world.resolveJid(to)?.account
		if (!target) return
		if (target !== device.account) userStateOf(target).presenceSubscribers.add(device.account.phone)
		conn.send(
			node('presence', {
				from: parseJid(to)?.server === 'lid' ? `${target.lid}@lid` : pnJid(target.phone),
				type: target.presence,
				last: target.presence === 'unavailable' ? target.lastSeen : undefined
			})
		)
		return
	}
	if (type === 'available' || type === 'unavailable') {
		ctx.logger.debug({ device: `${device.account.phone}:${device.id}`, type }, 'device presence')
		announcePresence(ctx, device.account, type)
	}
}

export const chatstateStanza: StanzaHandler = (ctx, conn, chatstate) => {
	const device = conn.device
	const to = chatstate.attrs.to
	if (!device || !to) return
	const target = ctx.world.resolveJid(to)?.account
	const stateNode = allChildren(chatstate)[0]
	if (!target || !stateNode) return
	const state = stateNode.tag === 'composing' && stateNode.attrs.media === 'audio' ? 'recording' : stateNode.tag
	target.chatstates.push({ from: device.account.phone, state, at: Date.now() })
	if (target.chatstates.length > 1000) target.chatstates.shift()
	for (const other of ctx.world.linkedDevices(target)) {
		if (other.connection?.ready) other.connection.send(node('chatstate', { from: pnJid(device.account.phone) }, [stateNode]))
	}
}

export const ibStanza: StanzaHandler = (ctx, _conn, ib) => {
	ctx.logger.trace({ child: allChildren(ib)[0]?.tag }, 'ib from client')
}
