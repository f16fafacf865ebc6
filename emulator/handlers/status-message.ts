/**
 * Status posts (stories): a linked device sends <message to="status@broadcast"> like a group
 * message, with a pairwise sender key distribution (pkmsg/msg) in <participants> for every device
 * of the audience and one <enc type="skmsg">. Each audience phone processes its distribution,
 * decrypts the skmsg with the sender key and records the status; linked devices of the audience
 * get both encs forwarded from status@broadcast.
 */
import { type BinaryNode, child, lidJid, node, pnJid, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import { contentFields, stanzaTypeOf } from '../message-content.js'
import type { Account } from '../world/types.js'
import { phoneSenderKeyDecrypt, phoneSkdm } from './group-message.js'
import { deliver } from './login.js'
import { collectDeliveries, messageOrigins } from './message.js'
import type { proto } from 'baileys'
import { encryptForDevice } from '../phone.js'
import { newMessageId } from '../util.js'

export const STATUS_JID = 'status@broadcast'

export async function statusMessageFromDevice(ctx: EmulatorContext, conn: ClientConnection, stanza: BinaryNode): Promise<void> {
	const sender = conn.device!
	const id = stanza.attrs.id!
	messageOrigins.set(id, { sender, chatByLid: true })
	const skmsg = child(stanza, 'enc')
	const skmsgBytes = skmsg?.attrs.type === 'skmsg' && skmsg.content instanceof Uint8Array ? skmsg.content : undefined
	const identity = child(stanza, 'device-identity')
	const phones = new Set<Account>()
	for (const { jid, enc } of collectDeliveries(stanza)) {
		const r = ctx.world.resolveJid(jid)
		if (!r) {
			ctx.logger.info({ jid }, 'status copy for an unknown device dropped')
			continue
		}
		if (r.device === 0) {
			await phoneSkdm(ctx, r.account, sender, enc, STATUS_JID)
			if (r.account !== sender.account) phones.add(r.account)
			continue
		}
		const device = r.account.devices.get(r.device)
		if (!device || device.state !== 'linked' || device === sender) continue
		const encs: BinaryNode[] = [enc]
		if (skmsg) encs.push(skmsg)
		if (identity) encs.push(identity)
		const attrs = { from: STATUS_JID, participant: lidJid(sender.account.lid, sender.id), participant_pn: pnJid(sender.account.phone, sender.id), id, t: unixNow(), type: stanza.attrs.type, notify: sender.pushName }
		deliver(device, node('message', attrs, encs))
		ctx.stats.forwarded++
	}
	if (!skmsgBytes) {
		ctx.logger.warn({ id }, 'status without a sender-key message')
		return
	}
	for (const account of phones) {
		const content = await phoneSenderKeyDecrypt(ctx, account, sender, STATUS_JID, skmsgBytes)
		if (!content) continue
		ctx.stats.statusesReceived++
		ctx.world.recordStatus(account, {
			id,
			chat: STATUS_JID,
			fromPhone: sender.account.phone,
			fromDevice: sender.id,
			stanzaType: stanza.attrs.type ?? stanzaTypeOf(content),
			...contentFields(content),
			timestamp: unixNow(),
			encType: 'skmsg',
			ownDeviceCopy: false
		})
	}
}

/**
 * A phone posts a status to `audience`: every linked device of each audience account gets, from
 * status@broadcast, the poster's sender key distribution (pairwise pkmsg/msg) and the skmsg, as
 * WhatsApp forwards a phone's status posts.
 */
export async function phoneStatusPost(ctx: EmulatorContext, from: Account, audience: Account[], message: proto.IMessage, id = newMessageId()): Promise<string> {
	const skdm = await from.senderKeys.ownDistribution(STATUS_JID, from.phone)
	const skmsg = await from.senderKeys.encrypt(STATUS_JID, from.phone, message)
	const t = unixNow()
	for (const account of audience) {
		if (account === from) continue
		for (const device of ctx.world.linkedDevices(account)) {
			const { type, ciphertext } = await encryptForDevice(from, device, { senderKeyDistributionMessage: { groupId: STATUS_JID, axolotlSenderKeyDistributionMessage: skdm } })
			ctx.stats.phoneEncrypts++
			deliver(
				device,
				node('message', { from: STATUS_JID, participant: lidJid(from.lid), participant_pn: pnJid(from.phone), id, t, type: stanzaTypeOf(message), notify: from.name }, [
					node('enc', { v: 2, type }, ciphertext),
					node('enc', { v: 2, type: 'skmsg' }, skmsg)
				])
			)
		}
	}
	return id
}
