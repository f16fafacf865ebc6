/**
 * Calls in the emulated world: an emulated phone calls an account's linked devices (offer with the
 * call key Signal-encrypted per device, then terminate or a timeout), and answers, rejects or hangs
 * up calls linked devices place to it. The stanzas are WhatsApp's `<call>` steps: offer, preaccept,
 * accept, reject, terminate (reason="timeout" when nobody answered), each with call-id and call-creator.
 * A phone can also call a group (every member's linked devices ring; the offer names the group with
 * `type="group"` and `group-jid`), and the called account's own phone can answer: WhatsApp then
 * relays the `<accept>` to the account's linked devices, which stop ringing.
 */
import { randomBytes } from 'node:crypto'
import type { BinaryNode } from '../binary.js'
import { node, pnJid, lidJid, unixNow } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import { deliver } from '../handlers/login.js'
import { encryptForDevice } from '../phone.js'
import type { Group } from '../world/groups.js'
import type { Account, LinkedDevice } from '../world/types.js'
import type { PhoneAudio } from './phone-audio.js'

export type EmulatedCallState = 'ringing' | 'accepted' | 'rejected' | 'ended' | 'missed'

export interface EmulatedCall {
	id: string
	/** from the emulated phone's side: `outgoing` = the phone calls linked devices, `incoming` = a linked device calls the phone */
	direction: 'incoming' | 'outgoing'
	/** the emulated phone's account */
	contact: Account
	/** the account of the linked devices on the other side (for a group call: the first member called; `group` lists them all) */
	peer: Account
	/** a group call: the group and the members whose devices were called */
	group?: { jid: string; members: Account[]; declined: Account[] }
	/** where the called account answered when not on a linked device (its own phone) */
	answeredOn?: 'phone'
	/** the linked device that placed the call (incoming) or answered it (outgoing) */
	device?: LinkedDevice
	/** call-creator, as the stanzas carry it */
	creator: string
	/** how the phone addresses its stanzas to the devices (from attribute) */
	from: string
	video: boolean
	state: EmulatedCallState
	history: Array<{ state: EmulatedCallState; at: number; by: string }>
	/** the call key the phone decrypted from a linked device's offer (base64) */
	callKey?: string
	endReason?: string
	/** the call's audio with the linked device, once the device opened it (emulator-only WebRTC leg) */
	audio?: PhoneAudio
}

/** codecs and transport an emulated phone offers and accepts */
const audioParams = (): BinaryNode[] => [
	node('audio', { enc: 'opus', rate: 16000 }),
	node('audio', { enc: 'opus', rate: 8000 }),
	node('net', { medium: 3 }),
	node('encopt', { keygen: 2 })
]

export class CallRegistry {
	private readonly calls = new Map<string, EmulatedCall>()

	constructor(private readonly ctx: EmulatorContext) {
		ctx.world.on('reset', () => {
			for (const call of this.calls.values()) void call.audio?.close()
			this.calls.clear()
		})
	}

	get(id: string): EmulatedCall | undefined {
		return this.calls.get(id)
	}

	list(account?: Account): EmulatedCall[] {
		return [...this.calls.values()].filter(c => !account || c.contact === account)
	}

	add(call: EmulatedCall): EmulatedCall {
		this.calls.set(call.id, call)
		if (this.calls.size > 10_000) this.calls.delete(this.calls.keys().next().value!)
		return call
	}

	move(call: EmulatedCall, state: EmulatedCallState, by: string, reason?: string): void {
		call.state = state
		call.history.push({ state, at: Date.now(), by })
		if (reason) call.endReason = reason
		if (state !== 'ringing' && state !== 'accepted') {
			const audio = call.audio
			call.audio = undefined
			audio?.close().catch((err: Error) => this.ctx.logger.warn({ err, callId: call.id }, 'closing the call audio failed'))
		}
	}

	/** `contact`'s phone calls `peer`: an offer to each of peer's linked devices, the call key encrypted for each */
	async call(contact: Account, peer: Account, opts: { video?: boolean } = {}): Promise<EmulatedCall> {
		return this.offer(contact, [peer], opts)
	}

	/** `contact`'s phone calls a group it is a member of: every other member's linked devices get the offer */
	async callGroup(contact: Account, group: Group, opts: { video?: boolean } = {}): Promise<EmulatedCall> {
		if (!group.members.has(contact.phone)) throw new Error(`${contact.phone} is not a member of ${group.jid}`)
		const members = [...group.members.values()].map(m => m.account).filter(a => a !== contact)
		return this.offer(contact, members, { ...opts, group: group.jid })
	}

	private async offer(contact: Account, peers: Account[], opts: { video?: boolean; group?: string }): Promise<EmulatedCall> {
		const devices = peers.flatMap(peer => this.ctx.world.linkedDevices(peer))
		if (!devices.length || !peers[0]) throw new Error(`${opts.group ?? peers[0]?.phone ?? 'nobody'} has no linked device to call`)
		const id = randomBytes(16).toString('hex').toUpperCase()
		const creator = lidJid(contact.lid)
		const call = this.add({
			id,
			direction: 'outgoing',
			contact,
			peer: peers[0],
			...(opts.group ? { group: { jid: opts.group, members: peers, declined: [] } } : {}),
			creator,
			from: creator,
			video: Boolean(opts.video),
			state: 'ringing',
			history: [{ state: 'ringing', at: Date.now(), by: 'contact' }]
		})
		const callKey = randomBytes(32)
		await Promise.all(
			devices.map(async device => {
				const { type, ciphertext } = await encryptForDevice(contact, device, { call: { callKey } })
				const content = [...audioParams(), ...(call.video ? [node('video', { enc: 'vp8', dec: 'vp8' })] : []), node('enc', { v: 2, type }, ciphertext)]
				const group: Record<string, string> = call.group ? { type: 'group', 'group-jid': call.group.jid } : {}
				deliver(device, this.stanza(call, 'offer', content, { caller_pn: pnJid(contact.phone), ...group }, { notify: contact.name }))
			})
		)
		return call
	}

	/** the phone answers a call a linked device placed */
	accept(call: EmulatedCall): void {
		this.expect(call, 'incoming', 'ringing')
		this.move(call, 'accepted', 'contact')
		if (call.device) deliver(call.device, this.stanza(call, 'accept', audioParams()))
	}

	/**
	 * The called account answers on its own phone (not a linked device): as WhatsApp does, the
	 * `<accept>` is relayed to the account's linked devices, whose ringing stops there.
	 */
	acceptOnPhone(call: EmulatedCall): void {
		this.expect(call, 'outgoing', 'ringing')
		if (call.group) throw new Error(`call ${call.id} is a group call: answer it from a member's device`)
		call.answeredOn = 'phone'
		this.move(call, 'accepted', 'phone')
		this.relayAccept(call)
	}

	/** tells the answering account's linked devices (but `answering`) that the call was answered elsewhere */
	relayAccept(call: EmulatedCall, answering?: LinkedDevice): void {
		const account = answering?.account ?? call.peer
		for (const device of this.ctx.world.linkedDevices(account)) if (device !== answering) deliver(device, this.stanza(call, 'accept', audioParams()))
	}

	/** a member declined a group call (from a linked device): the call is rejected once every member called declined */
	declineGroupCall(call: EmulatedCall, member: Account): void {
		const group = call.group
		if (!group || !group.members.includes(member) || group.declined.includes(member)) return
		group.declined.push(member)
		if (group.declined.length === group.members.length) this.move(call, 'rejected', 'device', 'every member declined')
	}

	/** the phone declines a call a linked device placed */
	reject(call: EmulatedCall): void {
		this.expect(call, 'incoming', 'ringing')
		this.move(call, 'rejected', 'contact', 'rejected by the contact')
		if (call.device) deliver(call.device, this.stanza(call, 'reject', undefined, { count: 0 }))
	}

	/** the phone hangs up (or cancels its own ringing call) */
	hangup(call: EmulatedCall): void {
		if (call.state !== 'ringing' && call.state !== 'accepted') throw new Error(`call ${call.id} is ${call.state}`)
		const answered = call.state === 'accepted'
		this.move(call, answered || call.direction === 'incoming' ? 'ended' : 'missed', 'contact', 'hung up by the contact')
		for (const device of this.devicesOf(call)) deliver(device, this.stanza(call, 'terminate'))
	}

	/** nobody answered the phone's call: WhatsApp ends it with a timeout */
	timeout(call: EmulatedCall): void {
		this.expect(call, 'outgoing', 'ringing')
		this.move(call, 'missed', 'whatsapp', 'nobody answered')
		for (const device of this.devicesOf(call)) deliver(device, this.stanza(call, 'terminate', undefined, { reason: 'timeout' }))
	}

	/** the linked devices that hear about this call: the one that placed or answered it, else every linked device of the peer */
	private devicesOf(call: EmulatedCall): LinkedDevice[] {
		return call.device ? [call.device] : this.devicesCalled(call)
	}

	/** every linked device the call rang on (a group call: those of every member called) */
	private devicesCalled(call: EmulatedCall): LinkedDevice[] {
		return (call.group?.members ?? [call.peer]).flatMap(account => this.ctx.world.linkedDevices(account))
	}

	private expect(call: EmulatedCall, direction: EmulatedCall['direction'], state: EmulatedCallState): void {
		if (call.direction !== direction) throw new Error(`call ${call.id} was placed by the ${call.direction === 'outgoing' ? 'contact' : 'linked device'}`)
		if (call.state !== state) throw new Error(`call ${call.id} is ${call.state}`)
	}

	/** a `<call>` stanza from the phone about `call` */
	stanza(call: EmulatedCall, step: string, content?: BinaryNode[], attrs: Record<string, string | number> = {}, outer: Record<string, string> = {}): BinaryNode {
		return node('call', { from: call.from, id: randomBytes(8).toString('hex').toUpperCase(), t: unixNow(), ...outer }, [
			node(step, { 'call-id': call.id, 'call-creator': call.creator, ...attrs }, content)
		])
	}
}
