/**
 * <call> stanzas from linked devices: acked (class=call, with the step as type, error 404 for an
 * unknown call), then applied to the emulated world. An offer to an emulated phone: the phone
 * decrypts its copy of the call key from <destination> and rings (preaccept back to the caller).
 * accept, reject and terminate move the call on. A <transport> with a <webrtc type="offer"> child
 * (the emulator's media leg, not WhatsApp's) is answered with the phone's SDP.
 */
import { allChildren, bytes, child, children, node, parseJid, pnJid, lidJid } from '../binary.js'
import type { StanzaHandler } from '../context.js'
import { sessionAddress } from '../phone.js'
import type { EncType } from '../signal/device.js'
import type { Account, LinkedDevice } from '../world/types.js'
import type { CallRegistry } from './calls.js'
import { PhoneAudio } from './phone-audio.js'

export function callStanzaHandler(calls: CallRegistry): StanzaHandler {
	return async (ctx, conn, stanza) => {
		const device = conn.device
		const info = allChildren(stanza)[0]
		const ack = (error?: number) => {
			if (stanza.attrs.id) conn.send(node('ack', { class: 'call', id: stanza.attrs.id, type: info?.tag, from: stanza.attrs.to, error }))
		}
		const callId = info?.attrs['call-id']
		if (!device || !info || !callId) {
			ctx.logger.info({ child: info?.tag, to: stanza.attrs.to }, 'call stanza without a device, step or call id')
			ack(400)
			return
		}
		if (info.tag === 'offer') {
			const contact = ctx.world.resolveJid(stanza.attrs.to)?.account
			if (!contact || contact === device.account) {
				ack(404)
				return
			}
			const callKey = await decryptCallKey(ctx, contact, device, info)
			const byLid = parseJid(stanza.attrs.to)?.server === 'lid'
			const call = calls.add({
				id: callId,
				direction: 'incoming',
				contact,
				peer: device.account,
				device,
				creator: info.attrs['call-creator'] ?? pnJid(device.account.phone, device.id),
				from: byLid ? lidJid(contact.lid) : pnJid(contact.phone),
				video: Boolean(child(info, 'video')),
				state: 'ringing',
				history: [{ state: 'ringing', at: Date.now(), by: 'device' }],
				callKey: callKey?.toString('base64')
			})
			ack()
			// the phone rings: it tells the caller so
			conn.send(calls.stanza(call, 'preaccept', [node('audio', { enc: 'opus', rate: 16000 }), node('encopt', { keygen: 2 })]))
			return
		}
		const call = calls.get(callId)
		if (!call) {
			ctx.logger.info({ callId, step: info.tag }, 'call stanza for an unknown call')
			ack(404)
			return
		}
		ack()
		const open = call.state === 'ringing' || call.state === 'accepted'
		if (!open) return
		switch (info.tag) {
			case 'accept':
				if (call.direction === 'outgoing' && call.state === 'ringing') {
					call.device = device
					calls.move(call, 'accepted', 'device')
					// the account's other linked devices stop ringing: WhatsApp relays the accept to them
					calls.relayAccept(call, device)
				}
				return
			case 'reject':
				if (call.state !== 'ringing') return
				// a group call rings on for the other members: it is declined once every member declined
				if (call.group) calls.declineGroupCall(call, device.account)
				else calls.move(call, 'rejected', 'device', 'rejected by the linked device')
				return
			case 'transport': {
				// the emulator's media leg: the device offers WebRTC, the phone answers
				const webrtc = child(info, 'webrtc')
				const offer = bytes(webrtc)?.toString('utf8')
				if (!offer || webrtc?.attrs.type !== 'offer' || call.state !== 'accepted' || call.audio) return
				const audio = new PhoneAudio()
				call.audio = audio
				const answer = await audio.answer(offer)
				conn.send(calls.stanza(call, 'transport', [node('webrtc', { type: 'answer' }, Buffer.from(answer, 'utf8'))]))
				return
			}
			case 'terminate':
				calls.move(call, call.state === 'accepted' || call.direction === 'incoming' ? 'ended' : 'missed', 'device', 'hung up by the linked device')
				return
			default:
				ctx.logger.debug({ callId, step: info.tag }, 'call step recorded nowhere')
		}
	}
}

/** the phone's copy of the call key, from the offer's <destination> (undefined when there is none or it does not decrypt) */
async function decryptCallKey(ctx: Parameters<StanzaHandler>[0], contact: Account, caller: LinkedDevice, offer: Parameters<typeof child>[0]): Promise<Buffer | undefined> {
	for (const to of children(child(offer, 'destination'), 'to')) {
		const target = ctx.world.resolveJid(to.attrs.jid)
		const enc = child(to, 'enc')
		const ciphertext = bytes(enc)
		if (!target || target.account !== contact || target.device !== 0 || !enc || !ciphertext) continue
		try {
			const message = await contact.primary.decryptMessage(sessionAddress(contact, caller.account, caller.id), enc.attrs.type as EncType, ciphertext)
			ctx.stats.phoneDecrypts++
			const key = message.call?.callKey
			return key ? Buffer.from(key) : undefined
		} catch (err) {
			ctx.logger.error({ err, callId: offer?.attrs['call-id'] }, 'phone could not decrypt the call key')
			return undefined
		}
	}
	return undefined
}
