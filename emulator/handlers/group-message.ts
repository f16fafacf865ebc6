/**
 * Group messages. From a linked device: <participants> carries pairwise sender-key distributions
 * (pkmsg/msg) and one <enc type="skmsg"> is fanned out to every member device; emulated phones
 * decrypt both. From an emulated phone: its sender key is distributed pairwise once per device, then skmsg.
 */
import type { proto } from 'baileys'
import { type BinaryNode, child, lidJid, node, pnJid, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import { contentFields, stanzaTypeOf, textOf, unwrap } from '../message-content.js'
import { encryptForDevice, phoneReceipt, sessionAddress } from '../phone.js'
import type { EncType } from '../signal/device.js'
import { newMessageId } from '../util.js'
import type { Group } from '../world/groups.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { deliver } from './login.js'
import { collectDeliveries, messageOrigins } from './message.js'

const deviceKey = (account: Account, device: number): string => `${account.phone}:${device}`

export async function groupMessageFromDevice(ctx: EmulatorContext, conn: ClientConnection, stanza: BinaryNode): Promise<void> {
	const sender = conn.device!
	const group = ctx.world.groups.get(stanza.attrs.to!)
	const id = stanza.attrs.id!
	if (!group || !group.members.has(sender.account.phone)) {
		conn.logger.info({ to: stanza.attrs.to }, 'group message from a non-member dropped')
		return
	}
	if (group.announce && !['admin', 'superadmin'].includes(group.members.get(sender.account.phone)!.role)) {
		conn.logger.info({ group: group.id }, 'non-admin message in an announcement group dropped')
		return
	}
	messageOrigins.set(id, { sender, chatByLid: true })
	// pairwise copies (sender key distributions) by device
	const pairwise = new Map<string, BinaryNode>()
	for (const { jid, enc } of collectDeliveries(stanza)) {
		const r = ctx.world.resolveJid(jid)
		if (r) pairwise.set(deviceKey(r.account, r.device), enc)
	}
	const skmsg = child(stanza, 'enc')
	const skmsgBytes = skmsg?.attrs.type === 'skmsg' && skmsg.content instanceof Uint8Array ? skmsg.content : undefined
	const delivered: Account[] = []
	for (const { account } of group.members.values()) {
		// the member's phone
		const pw = pairwise.get(deviceKey(account, 0))
		if (pw) await phoneSkdm(ctx, account, sender, pw, group.jid)
		if (skmsgBytes && (await phoneGroupReceive(ctx, account, sender, stanza, skmsgBytes, group)) && account !== sender.account) delivered.push(account)
		// the member's linked devices
		for (const device of ctx.world.linkedDevices(account)) {
			if (device === sender) continue
			const encs: BinaryNode[] = []
			const p = pairwise.get(deviceKey(account, device.id))
			if (p) encs.push(p)
			if (skmsg) encs.push(skmsg)
			if (!encs.length) continue
			const identity = child(stanza, 'device-identity')
			if (identity && p) encs.push(identity)
			deliver(
				device,
				node(
					'message',
					{
						from: group.jid,
						participant: lidJid(sender.account.lid, sender.id),
						participant_pn: pnJid(sender.account.phone, sender.id),
						addressing_mode: 'lid',
						id,
						t: unixNow(),
						type: stanza.attrs.type,
						notify: sender.pushName
					},
					encs
				)
			)
			ctx.stats.forwarded++
		}
	}
	const sendReceipts = (): void => {
		for (const account of delivered) if (account.autoDeliver) phoneReceipt(account, sender, group.jid, [id], 'delivered', account)
	}
	if (ctx.options.receiptDelayMs > 0) setTimeout(sendReceipts, ctx.options.receiptDelayMs)
	else sendReceipts()
}

/** an emulated phone processes the sender key distribution `sender` sent it pairwise for `chat` (a group or status@broadcast) */
export async function phoneSkdm(ctx: EmulatorContext, recipient: Account, sender: LinkedDevice, enc: BinaryNode, chat: string): Promise<void> {
	const type = enc.attrs.type as EncType
	if ((type !== 'pkmsg' && type !== 'msg') || !(enc.content instanceof Uint8Array)) return
	try {
		const msg = await recipient.primary.decryptMessage(sessionAddress(recipient, sender.account, sender.id), type, enc.content)
		ctx.stats.phoneDecrypts++
		const skdm = msg.senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage
		if (skdm) await recipient.senderKeys.processDistribution(chat, sender.account.phone, sender.id, skdm)
	} catch (err) {
		ctx.logger.error({ err, to: recipient.phone, chat }, 'phone could not process a sender key distribution')
	}
}

/** an emulated phone decrypts a sender-key message (skmsg) `sender` sent to `chat`; undefined (logged) when it cannot */
export async function phoneSenderKeyDecrypt(ctx: EmulatorContext, recipient: Account, sender: LinkedDevice, chat: string, skmsg: Uint8Array): Promise<proto.IMessage | undefined> {
	if (!recipient.senderKeys.hasKey(chat, sender.account.phone, sender.id)) {
		ctx.logger.warn({ to: recipient.phone, chat }, 'phone has no sender key for this sender')
		return undefined
	}
	try {
		const message = await recipient.senderKeys.decrypt(chat, sender.account.phone, sender.id, skmsg)
		ctx.stats.phoneDecrypts++
		return unwrap(message)
	} catch (err) {
		ctx.logger.error({ err, to: recipient.phone, chat }, 'phone could not decrypt a sender-key message')
		return undefined
	}
}

async function phoneGroupReceive(ctx: EmulatorContext, recipient: Account, sender: LinkedDevice, stanza: BinaryNode, skmsg: Uint8Array, group: Group): Promise<boolean> {
	const content = await phoneSenderKeyDecrypt(ctx, recipient, sender, group.jid, skmsg)
	if (!content) return false
	ctx.world.recordReceived(recipient, {
		id: stanza.attrs.id!,
		chat: group.jid,
		fromPhone: sender.account.phone,
		fromDevice: sender.id,
		stanzaType: stanza.attrs.type ?? stanzaTypeOf(content),
		...contentFields(content),
		group: group.jid,
		timestamp: unixNow(),
		encType: 'skmsg',
		ownDeviceCopy: recipient === sender.account
	})
	return true
}

/** an emulated phone sends `message` to a group */
export async function phoneGroupSend(ctx: EmulatorContext, from: Account, group: Group, message: proto.IMessage, id = newMessageId()): Promise<string> {
	if (!group.members.has(from.phone)) throw new Error(`${from.phone} is not a member of ${group.jid}`)
	const skdm = await from.senderKeys.ownDistribution(group.jid, from.phone)
	const skmsg = await from.senderKeys.encrypt(group.jid, from.phone, message)
	const t = unixNow()
	const stanzaType = stanzaTypeOf(message)
	for (const { account } of group.members.values()) {
		for (const device of ctx.world.linkedDevices(account)) {
			const encs: BinaryNode[] = []
			const key = `${from.phone}>${deviceKey(account, device.id)}`
			if (!group.distributed.has(key)) {
				const { type, ciphertext } = await encryptForDevice(from, device, { senderKeyDistributionMessage: { groupId: group.jid, axolotlSenderKeyDistributionMessage: skdm } })
				encs.push(node('enc', { v: 2, type }, ciphertext))
				group.distributed.add(key)
			}
			encs.push(node('enc', { v: 2, type: 'skmsg' }, skmsg))
			ctx.stats.phoneEncrypts++
			deliver(
				device,
				node('message', { from: group.jid, participant: lidJid(from.lid), participant_pn: pnJid(from.phone), addressing_mode: 'lid', id, t, type: stanzaType, notify: from.name }, encs)
			)
		}
		if (account !== from) {
			ctx.world.recordReceived(account, {
				id,
				chat: group.jid,
				fromPhone: from.phone,
				fromDevice: 0,
				stanzaType,
				...contentFields(message),
				group: group.jid,
				timestamp: t,
				encType: 'plain',
				ownDeviceCopy: false
			})
		}
	}
	from.sent.set(id, { id, to: group.jid, text: textOf(message), timestamp: t, status: 'sent', receipts: {}, encTypes: {} })
	return id
}
