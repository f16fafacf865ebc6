/**
 * <receipt> stanzas from linked devices (delivered / read / played for messages they received):
 * acked, recorded on the emulated phone that sent the message, or forwarded to the linked device that
 * sent it. Also acks <ack> from clients (nothing to do) and logs retry receipts.
 */
import { type BinaryNode, child, children, lidJid, node, parseJid, pnJid } from '../binary.js'
import { extractE2ESessionFromRetryReceipt } from 'baileys'
import type { EmulatorContext, StanzaHandler } from '../context.js'
import { resendAfterRetry } from '../phone.js'
import type { PreKeyBundle } from '../signal/device.js'
import type { LinkedDevice } from '../world/types.js'
import { deliver } from './login.js'
import { takeAcked, takeReceipted } from './delivery-acks.js'
import { messageOrigins } from './message.js'
import type { MessageStatus, SentMessage } from '../world/types.js'

const STATUS_BY_TYPE: Record<string, Exclude<MessageStatus, 'sent'> | undefined> = {
	'': 'delivered',
	inactive: 'delivered',
	read: 'read',
	played: 'played'
}

const RANK: Record<MessageStatus, number> = { sent: 0, delivered: 1, read: 2, played: 3 }

/** a receipt for a message an emulated phone sent, recorded on that phone (per reading device: `readerKey`) */
export function recordReceipt(sent: SentMessage, readerKey: string, status: Exclude<MessageStatus, 'sent'>): void {
	sent.receipts[readerKey] = status
	if (RANK[status] > RANK[sent.status]) sent.status = status
}

function receiptIds(receipt: BinaryNode): string[] {
	const ids = [receipt.attrs.id!]
	for (const item of children(child(receipt, 'list'), 'item')) if (item.attrs.id) ids.push(item.attrs.id)
	return ids
}

/** a linked device failed to decrypt a message: emulated phones re-send it, other senders are not supported */
async function onRetry(ctx: EmulatorContext, reader: LinkedDevice, receipt: BinaryNode): Promise<void> {
	const { id, to } = receipt.attrs
	const sender = ctx.world.resolveJid(to)?.account
	const count = Number(child(receipt, 'retry')?.attrs.count ?? 1)
	const e2e = extractE2ESessionFromRetryReceipt(receipt)
	const keys: PreKeyBundle | undefined = e2e
		? {
				registrationId: e2e.registrationId,
				identityKey: Buffer.from(e2e.identityKey),
				signedPreKey: { keyId: e2e.signedPreKey.keyId, publicKey: Buffer.from(e2e.signedPreKey.publicKey), signature: Buffer.from(e2e.signedPreKey.signature) },
				preKey: e2e.preKey ? { keyId: e2e.preKey.keyId, publicKey: Buffer.from(e2e.preKey.publicKey) } : undefined
			}
		: undefined
	const resent = sender && id && count <= 5 ? await resendAfterRetry(ctx, sender, reader, id, count, keys) : false
	if (!resent) ctx.logger.warn({ id, to, from: `${reader.account.phone}:${reader.id}`, count }, 'retry receipt for a message the emulator cannot re-send')
}

export const receiptStanza: StanzaHandler = async (ctx, conn, receipt) => {
	const { id, to, type, participant } = receipt.attrs
	const reader = conn.device
	if (!reader || !id) {
		conn.fail('receipt before login or without id')
		return
	}
	conn.send(node('ack', { class: 'receipt', id, from: to, type, participant }))
	// the device has the message(s): WhatsApp no longer keeps them for it
	takeReceipted(conn.unacked, receipt)
	ctx.stats.clientReceipts++
	const status = STATUS_BY_TYPE[type ?? '']
	if (!status) {
		if (type === 'retry') await onRetry(ctx, reader, receipt)
		else ctx.logger.debug({ id, type }, 'receipt type not routed')
		return
	}
	const target = parseJid(participant && parseJid(to)?.server === 'g.us' ? participant : to)
	const ids = receiptIds(receipt)
	const targetAccount = target ? ctx.world.resolveJid(participant && parseJid(to)?.server === 'g.us' ? participant : to)?.account : undefined
	for (const msgId of ids) {
		const sent = targetAccount?.sent.get(msgId)
		if (sent) {
			recordReceipt(sent, pnJid(reader.account.phone, reader.id), status)
			continue
		}
		const origin = messageOrigins.get(msgId)
		if (!origin || origin.sender.account === reader.account) continue
		const isGroup = parseJid(to)?.server === 'g.us'
		const from = isGroup ? to! : origin.chatByLid ? lidJid(reader.account.lid) : pnJid(reader.account.phone)
		deliver(
			origin.sender,
			node('receipt', {
				from,
				id: msgId,
				t: receipt.attrs.t ?? Math.floor(Date.now() / 1000),
				type: status === 'delivered' ? undefined : status,
				participant: isGroup ? lidJid(reader.account.lid) : undefined
			})
		)
	}
}

export const ackStanza: StanzaHandler = (ctx, conn, ack) => {
	if (ack.attrs.error) ctx.logger.info({ attrs: ack.attrs }, 'client nacked a stanza')
	// acknowledged (a nack too: the client has seen it and will not take it on a redelivery either)
	if (!takeAcked(conn.unacked, ack)) ctx.logger.debug({ attrs: ack.attrs }, 'ack for nothing pending')
}
