/**
 * What an emulated phone (device 0 of an account) does on its own: send Signal-encrypted messages
 * (pkmsg, then msg) to the linked devices of another account, receipts, presence and chatstates.
 */
import { proto } from 'baileys'
import { lidJid, node, pnJid, unixNow } from './binary.js'
import type { EmulatorContext } from './context.js'
import { deliver } from './handlers/login.js'
import { takeLinkedBundle } from './handlers/prekeys.js'
import { contentFields, contentType, stanzaTypeOf, textOf } from './message-content.js'
import { BoundedMap, KeyedMutex, newMessageId } from './util.js'
import type { PreKeyBundle } from './signal/device.js'
import type { Account, LinkedDevice, MessageStatus, SentMessage } from './world/types.js'

const sessionLocks = new KeyedMutex()

/** content of recent phone-sent messages, for retry receipts: key `${fromPhone}:${id}` */
const recentContent = new BoundedMap<string, { message: proto.IMessage; attrs: Record<string, string | number | undefined> }>(20_000)

/** Signal address under which `local`'s phone keeps its session with a remote device */
export function sessionAddress(local: Account, remote: Account, deviceId: number): string {
	return `${local.phone}-${remote.phone}-${deviceId}`
}

export type Addressing = 'pn' | 'lid'

export interface PhoneSendOptions {
	id?: string
	addressing?: Addressing
	/** extra attributes on the <message> stanza */
	attrs?: Record<string, string>
}

/** encrypts `message` from `from`'s phone for one linked device of another account */
export async function encryptForDevice(from: Account, device: LinkedDevice, message: proto.IMessage): Promise<{ type: 'pkmsg' | 'msg'; ciphertext: Buffer }> {
	const addr = sessionAddress(from, device.account, device.id)
	return sessionLocks.run(addr, async () => {
		if (!from.primary.hasSession(addr)) await from.primary.startSession(addr, bundleOf(takeLinkedBundle(device)))
		return from.primary.encryptMessage(addr, message)
	})
}

export function senderAttrs(from: Account, addressing: Addressing): Record<string, string> {
	return addressing === 'lid'
		? { from: lidJid(from.lid), sender_pn: pnJid(from.phone) }
		: { from: pnJid(from.phone), sender_lid: lidJid(from.lid) }
}

/** `from`'s phone sends `message` to `to` (all linked devices get a copy; `to`'s phone records it) */
export async function phoneSend(ctx: EmulatorContext, from: Account, to: Account, message: proto.IMessage, opts: PhoneSendOptions = {}): Promise<SentMessage> {
	const id = opts.id ?? newMessageId()
	const t = unixNow()
	const addressing = opts.addressing ?? 'pn'
	const stanzaType = stanzaTypeOf(message)
	const chat = addressing === 'lid' ? lidJid(to.lid) : pnJid(to.phone)
	const sent: SentMessage = { id, to: chat, text: textOf(message), timestamp: t, status: 'sent', receipts: {}, encTypes: {} }
	from.sent.set(id, sent)
	if (from.sent.size > 10_000) from.sent.delete(from.sent.keys().next().value!)
	const mediatype = stanzaType === 'media' ? contentType(message).replace(/Message$/, '') : undefined
	recentContent.set(`${from.phone}:${id}`, { message, attrs: { ...senderAttrs(from, addressing), id, t, type: stanzaType, notify: from.name, ...opts.attrs } })
	const blocked = to.blocklist.has(pnJid(from.phone))
	await Promise.all(
		(blocked ? [] : ctx.world.linkedDevices(to)).map(async device => {
			const { type, ciphertext } = await encryptForDevice(from, device, message)
			sent.encTypes[pnJid(device.account.phone, device.id)] = type
			ctx.stats.phoneEncrypts++
			const stanza = node(
				'message',
				{ ...senderAttrs(from, addressing), id, t, type: stanzaType, notify: from.name, ...opts.attrs },
				[node('enc', { v: 2, type, mediatype }, ciphertext)]
			)
			deliver(device, stanza)
		})
	)
	// a blocked sender's message reaches none of the blocker's devices, its phone included
	if (blocked) return sent
	ctx.world.recordReceived(to, {
		id,
		chat: pnJid(from.phone),
		fromPhone: from.phone,
		fromDevice: 0,
		stanzaType,
		...contentFields(message),
		timestamp: t,
		encType: 'plain',
		ownDeviceCopy: false
	})
	return sent
}

/** builds a text message, optionally quoting an earlier message */
export function textMessage(text: string, quote?: { id: string; participant: string; text?: string }): proto.IMessage {
	if (!quote) return { conversation: text }
	return {
		extendedTextMessage: {
			text,
			contextInfo: {
				stanzaId: quote.id,
				participant: quote.participant,
				quotedMessage: { conversation: quote.text ?? '' }
			}
		}
	}
}

/** `reader`'s phone sends a delivery/read receipt to the device that sent message `ids` */
export function phoneReceipt(
	reader: Account,
	sender: LinkedDevice,
	chat: string,
	ids: string[],
	type: Exclude<MessageStatus, 'sent'>,
	groupParticipant?: Account
): void {
	if (!ids.length) return
	const [first, ...rest] = ids
	const attrs: Record<string, string | number | undefined> = {
		from: chat,
		id: first,
		t: unixNow(),
		type: type === 'delivered' ? undefined : type,
		participant: groupParticipant ? lidJid(groupParticipant.lid) : undefined
	}
	const content = rest.length ? [node('list', {}, rest.map(id => node('item', { id })))] : undefined
	deliver(sender, node('receipt', attrs, content))
	reader.lastSeen = unixNow()
}

/**
 * `reader`'s phone could not decrypt message `id` from `sender` (a linked device) and asks it to
 * send the message again: a retry receipt with the phone's registration id, as WhatsApp phones send.
 */
export function phoneRetryRequest(reader: Account, sender: LinkedDevice, chat: string, id: string, count = 1): void {
	const registration = Buffer.alloc(4)
	registration.writeUInt32BE(reader.primary.store.registrationId >>> 0)
	const t = unixNow()
	deliver(sender, node('receipt', { from: chat, id, t, type: 'retry' }, [node('retry', { count, id, t, v: 1 }), node('registration', {}, registration)]))
}

export function phonePresence(from: Account, to: Account, devices: LinkedDevice[], type: 'available' | 'unavailable'): void {
	from.presence = type
	if (type === 'unavailable') from.lastSeen = unixNow()
	for (const device of devices) {
		if (device.account !== to || !device.connection?.ready) continue
		device.connection.send(node('presence', { from: pnJid(from.phone), type, last: type === 'unavailable' ? from.lastSeen : undefined }))
	}
}

export function phoneChatstate(from: Account, devices: LinkedDevice[], state: 'composing' | 'paused' | 'recording'): void {
	const childNode = state === 'recording' ? node('composing', { media: 'audio' }) : node(state, {})
	for (const device of devices) {
		if (!device.connection?.ready) continue
		device.connection.send(node('chatstate', { from: pnJid(from.phone) }, [childNode]))
	}
}

export { proto }

/**
 * A linked device could not decrypt a message `from`'s phone sent (retry receipt): rebuild the session
 * from the keys in the receipt (or a fresh bundle) and send the message again with the same id.
 */
export async function resendAfterRetry(ctx: EmulatorContext, from: Account, device: LinkedDevice, id: string, retryCount: number, keys?: PreKeyBundle): Promise<boolean> {
	const original = recentContent.get(`${from.phone}:${id}`)
	if (!original) return false
	const addr = sessionAddress(from, device.account, device.id)
	const { type, ciphertext } = await sessionLocks.run(addr, async () => {
		from.primary.resetSession(addr)
		const b = keys ?? bundleOf(takeLinkedBundle(device))
		await from.primary.startSession(addr, b)
		return from.primary.encryptMessage(addr, original.message)
	})
	deliver(device, node('message', original.attrs, [node('enc', { v: 2, type, count: retryCount }, ciphertext)]))
	ctx.stats.retriesResent++
	ctx.logger.info({ id, from: from.phone, to: `${device.account.phone}:${device.id}`, retryCount }, 'message re-sent after a retry receipt')
	return true
}

function bundleOf(b: ReturnType<typeof takeLinkedBundle>): PreKeyBundle {
	return {
		registrationId: b.registrationId,
		identityKey: b.identity,
		signedPreKey: { keyId: b.signedPreKey.keyId, publicKey: b.signedPreKey.pub, signature: b.signedPreKey.signature },
		preKey: b.preKey ? { keyId: b.preKey.keyId, publicKey: b.preKey.pub } : undefined
	}
}
