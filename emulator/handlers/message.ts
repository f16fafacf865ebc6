/**
 * <message> stanzas from linked devices: server ack, fan-out of every <to><enc/></to> either to an
 * emulated phone (decrypted and recorded, auto delivery/read receipts, echo bots) or to another linked
 * device (forwarded as is, queued if offline).
 */
import { type BinaryNode, child, children, lidJid, node, parseJid, pnJid, unixNow } from '../binary.js'
import type { EmulatorContext, StanzaHandler } from '../context.js'
import { contentFields, stanzaTypeOf, unwrap } from '../message-content.js'
import { phoneReceipt, phoneSend, sessionAddress, textMessage } from '../phone.js'
import type { EncType } from '../signal/device.js'
import { BoundedMap } from '../util.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { deliver } from './login.js'
import { STATUS_JID, statusMessageFromDevice } from './status-message.js'

/** who sent a message id that was forwarded to linked devices (to route receipts back) */
export const messageOrigins = new BoundedMap<string, { sender: LinkedDevice; chatByLid: boolean }>(100_000)

export interface Delivery {
	jid: string
	enc: BinaryNode
}


export const messageStanza: StanzaHandler = async (ctx, conn, stanza) => {
	const sender = conn.device
	const { id, to } = stanza.attrs
	if (!sender || !conn.loggedIn) {
		conn.fail('message before login')
		return
	}
	if (!id || !to) {
		conn.send(node('ack', { class: 'message', id: id ?? '', error: 400 }))
		conn.logger.warn({ attrs: stanza.attrs }, 'message without id or to rejected')
		return
	}
	conn.send(node('ack', { class: 'message', id, from: to, t: unixNow() }))
	ctx.stats.clientMessages++
	if (to === STATUS_JID) {
		await statusMessageFromDevice(ctx, conn, stanza)
		return
	}
	const target = parseJid(to)
	if (target?.server === 'g.us') {
		if (ctx.services.groups) await ctx.services.groups.onMessage(ctx, conn, stanza)
		else conn.logger.info({ to }, 'group message ignored (groups disabled)')
		return
	}
	await fanOut(ctx, sender, stanza, collectDeliveries(stanza))
}

export function collectDeliveries(stanza: BinaryNode): Delivery[] {
	const out: Delivery[] = []
	for (const toNode of children(child(stanza, 'participants'), 'to')) {
		const enc = child(toNode, 'enc')
		if (toNode.attrs.jid && enc) out.push({ jid: toNode.attrs.jid, enc })
	}
	const direct = child(stanza, 'enc')
	if (direct && stanza.attrs.to && direct.attrs.type !== 'skmsg') out.push({ jid: stanza.attrs.to, enc: direct })
	return out
}

/** routes each device copy of a 1:1 message (or of a group sender-key distribution) */
export async function fanOut(ctx: EmulatorContext, sender: LinkedDevice, stanza: BinaryNode, deliveries: Delivery[], group?: string): Promise<void> {
	const chat = stanza.attrs.to!
	const chatByLid = parseJid(chat)?.server === 'lid'
	const received: Account[] = []
	if (!group) messageOrigins.set(stanza.attrs.id!, { sender, chatByLid })
	for (const { jid, enc } of deliveries) {
		const r = ctx.world.resolveJid(jid)
		if (!r) {
			ctx.logger.info({ jid }, 'message copy for an unknown device dropped')
			continue
		}
		if (r.account !== sender.account && r.account.blocklist.has(pnJid(sender.account.phone))) {
			// the recipient blocked the sender: WhatsApp delivers nothing (the sender sees one tick)
			ctx.logger.info({ from: sender.account.phone, to: r.account.phone }, 'message copy for an account that blocked the sender dropped')
			continue
		}
		if (r.device === 0) {
			const ok = await phoneReceive(ctx, r.account, sender, stanza, enc, group)
			if (ok && r.account !== sender.account) received.push(r.account)
			continue
		}
		const device = r.account.devices.get(r.device)
		if (!device || device.state !== 'linked') {
			ctx.logger.info({ jid }, 'message copy for a removed device dropped')
			continue
		}
		forwardToDevice(sender, device, stanza, enc, r.isLid, group)
		ctx.stats.forwarded++
	}
	const id = stanza.attrs.id!
	const sendReceipts = (): void => {
		for (const account of received) {
			const from = group ?? (chatByLid ? lidJid(account.lid) : pnJid(account.phone))
			const participant = group ? account : undefined
			if (account.autoDeliver) phoneReceipt(account, sender, from, [id], 'delivered', participant)
			if (account.autoRead) phoneReceipt(account, sender, from, [id], 'read', participant)
		}
	}
	if (!received.length) return
	if (ctx.options.receiptDelayMs > 0) setTimeout(sendReceipts, ctx.options.receiptDelayMs)
	else sendReceipts()
}

async function phoneReceive(ctx: EmulatorContext, recipient: Account, sender: LinkedDevice, stanza: BinaryNode, enc: BinaryNode, group?: string): Promise<boolean> {
	const type = enc.attrs.type as EncType
	if ((type !== 'pkmsg' && type !== 'msg') || !(enc.content instanceof Uint8Array)) {
		ctx.logger.warn({ type, id: stanza.attrs.id }, 'unsupported enc type for a phone')
		return false
	}
	let message
	try {
		message = await recipient.primary.decryptMessage(sessionAddress(recipient, sender.account, sender.id), type, enc.content)
	} catch (err) {
		ctx.logger.error({ err, id: stanza.attrs.id, to: recipient.phone, from: `${sender.account.phone}:${sender.id}` }, 'phone could not decrypt message')
		return false
	}
	ctx.stats.phoneDecrypts++
	const own = recipient === sender.account
	const content = unwrap(message)
	const fields = contentFields(content)
	const { contentType: kind, text } = fields
	if (kind === 'senderKeyDistributionMessage' || kind === 'unknown') return !own
	ctx.world.recordReceived(recipient, {
		id: stanza.attrs.id!,
		chat: group ?? (own ? (message.deviceSentMessage?.destinationJid ?? stanza.attrs.to!) : pnJid(sender.account.phone)),
		fromPhone: sender.account.phone,
		fromDevice: sender.id,
		stanzaType: stanza.attrs.type ?? stanzaTypeOf(content),
		...fields,
		group,
		timestamp: unixNow(),
		encType: type,
		ownDeviceCopy: own,
		pushName: sender.pushName ?? sender.account.name
	})
	if (!own && recipient.echo && text !== undefined && kind !== 'reactionMessage' && !group) {
		phoneSend(ctx, recipient, sender.account, textMessage(text)).catch((err: Error) =>
			ctx.logger.error({ err, from: recipient.phone }, 'echo reply failed')
		)
	}
	return !own
}

function forwardToDevice(sender: LinkedDevice, target: LinkedDevice, stanza: BinaryNode, enc: BinaryNode, byLid: boolean, group?: string): void {
	const own = target.account === sender.account
	const from = group ?? (byLid ? lidJid(sender.account.lid, sender.id) : pnJid(sender.account.phone, sender.id))
	const attrs: Record<string, string | number | undefined> = {
		from,
		id: stanza.attrs.id,
		t: unixNow(),
		type: stanza.attrs.type,
		notify: sender.pushName,
		...(group
			? { participant: lidJid(sender.account.lid, sender.id), participant_pn: pnJid(sender.account.phone, sender.id), addressing_mode: 'lid' }
			: byLid
				? { sender_pn: pnJid(sender.account.phone) }
				: { sender_lid: lidJid(sender.account.lid) }),
		recipient: own && !group ? stanza.attrs.to : undefined
	}
	const content: BinaryNode[] = [enc]
	const identity = child(stanza, 'device-identity')
	if (identity) content.push(identity)
	deliver(target, node('message', attrs, content))
}
