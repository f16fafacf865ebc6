/**
 * Control of emulated calls (in process, and over the HTTP control API under /control): an emulated
 * phone calls an account's linked devices, answers, rejects or hangs up, and lists its calls.
 */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import { type ControlHttp, RawBody } from '../control/http.js'
import { callStanzaHandler } from './call-stanza.js'
import { CallRegistry, type EmulatedCall } from './calls.js'

export interface CallView {
	id: string
	direction: EmulatedCall['direction']
	contact: string
	peer: string
	/** a group call's group JID, else null */
	group: string | null
	/** a group call: the members (phones) who declined it so far */
	declined: string[]
	/** `phone` when the called account answered on its own phone, else null */
	answeredOn: 'phone' | null
	device: string | null
	creator: string
	video: boolean
	state: EmulatedCall['state']
	history: EmulatedCall['history']
	callKey: string | null
	endReason: string | null
	/** the call's audio is connected (WebRTC with the linked device) */
	audio: boolean
}

export function callView(call: EmulatedCall): CallView {
	return {
		id: call.id,
		direction: call.direction,
		contact: call.contact.phone,
		peer: call.peer.phone,
		group: call.group?.jid ?? null,
		declined: call.group?.declined.map(a => a.phone) ?? [],
		answeredOn: call.answeredOn ?? null,
		device: call.device ? `${call.device.account.phone}:${call.device.id}` : null,
		creator: call.creator,
		video: call.video,
		state: call.state,
		history: call.history.map(h => ({ ...h })),
		callKey: call.callKey ?? null,
		endReason: call.endReason ?? null,
		audio: Boolean(call.audio?.connected)
	}
}

export class CallControl {
	readonly registry: CallRegistry

	constructor(private readonly ctx: EmulatorContext) {
		this.registry = new CallRegistry(ctx)
	}

	private account(ref: string) {
		const a = this.ctx.world.findAccount(ref)
		if (!a) throw new ControlError(404, `no account ${ref}`)
		return a
	}

	private call(id: string): EmulatedCall {
		const call = this.registry.get(id)
		if (!call) throw new ControlError(404, `no call ${id}`)
		return call
	}

	private act(id: string, action: (call: EmulatedCall) => void): CallView {
		const call = this.call(id)
		try {
			action(call)
		} catch (err) {
			throw new ControlError(409, (err as Error).message)
		}
		return callView(call)
	}

	/** `from`'s phone calls `to`: an account (every linked device of `to` rings) or a group JID (every other member's) */
	async start(from: string, to: string, opts: { video?: boolean } = {}): Promise<CallView> {
		const contact = this.account(from)
		const group = to.endsWith('@g.us') ? this.ctx.world.groups.get(to) : undefined
		if (to.endsWith('@g.us') && !group) throw new ControlError(404, `no group ${to}`)
		const peer = group ? undefined : this.account(to)
		try {
			return callView(peer ? await this.registry.call(contact, peer, opts) : await this.registry.callGroup(contact, group!, opts))
		} catch (err) {
			throw new ControlError(409, (err as Error).message)
		}
	}

	list(phone?: string): CallView[] {
		return this.registry.list(phone ? this.account(phone) : undefined).map(callView)
	}

	get(id: string): CallView {
		return callView(this.call(id))
	}

	accept = (id: string) => this.act(id, c => this.registry.accept(c))
	/** the called account answers the contact's call on its own phone */
	acceptOnPhone = (id: string) => this.act(id, c => this.registry.acceptOnPhone(c))
	reject = (id: string) => this.act(id, c => this.registry.reject(c))
	hangup = (id: string) => this.act(id, c => this.registry.hangup(c))
	timeout = (id: string) => this.act(id, c => this.registry.timeout(c))

	private audio(id: string) {
		const audio = this.call(id).audio
		if (!audio) throw new ControlError(409, `call ${id} has no audio (not answered, or over)`)
		return audio
	}

	/** the phone plays a tone into the call */
	tone(id: string, frequency: number, seconds: number): CallView {
		this.audio(id).tone(frequency, seconds)
		return this.get(id)
	}

	/** the phone plays PCM (48 kHz mono 16-bit) into the call */
	playPcm(id: string, samples: Int16Array): CallView {
		this.audio(id).play(samples)
		return this.get(id)
	}

	/** what the phone heard in the call (48 kHz mono) */
	heard(id: string): Int16Array {
		return this.audio(id).heard()
	}
}

/** a WAV file (48 kHz mono 16-bit) of samples */
function wav(samples: Int16Array): Buffer {
	const data = Buffer.alloc(samples.length * 2)
	samples.forEach((s, i) => data.writeInt16LE(s, i * 2))
	const h = Buffer.alloc(44)
	h.write('RIFF', 0, 'ascii')
	h.writeUInt32LE(36 + data.length, 4)
	h.write('WAVEfmt ', 8, 'ascii')
	h.writeUInt32LE(16, 16)
	h.writeUInt16LE(1, 20)
	h.writeUInt16LE(1, 22)
	h.writeUInt32LE(48_000, 24)
	h.writeUInt32LE(96_000, 28)
	h.writeUInt16LE(2, 32)
	h.writeUInt16LE(16, 34)
	h.write('data', 36, 'ascii')
	h.writeUInt32LE(data.length, 40)
	return Buffer.concat([h, data])
}

/** PCM samples of a 48 kHz mono 16-bit WAV file */
function pcmOfWav(file: Buffer): Int16Array {
	if (file.toString('ascii', 0, 4) !== 'RIFF' || file.readUInt32LE(24) !== 48_000 || file.readUInt16LE(22) !== 1 || file.readUInt16LE(34) !== 16) {
		throw new ControlError(400, 'wav: must be a 48 kHz mono 16-bit WAV file')
	}
	const data = file.subarray(44)
	const out = new Int16Array(Math.floor(data.length / 2))
	for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2)
	return out
}

const startBody = z.object({ to: z.string().min(1), video: z.boolean().optional() })
const audioBody = z.object({
	tone: z.object({ frequency: z.number().min(20).max(20_000), seconds: z.number().min(0.02).max(600) }).optional(),
	/** base64 of a 48 kHz mono 16-bit WAV file */
	wav: z.string().min(1).optional()
})

/** registers the <call> stanza handler and the calls' control routes */
export function installCalls(ctx: EmulatorContext, http: ControlHttp): CallControl {
	const calls = new CallControl(ctx)
	ctx.stanzas.set('call', callStanzaHandler(calls.registry))
	http.add('POST', '/control/accounts/:phone/calls', (p, b) => {
		const body = startBody.parse(b)
		return calls.start(p.phone!, body.to, { video: body.video })
	})
	http.add('GET', '/control/accounts/:phone/calls', p => calls.list(p.phone!))
	http.add('GET', '/control/calls', () => calls.list())
	http.add('GET', '/control/calls/:id', p => calls.get(p.id!))
	http.add('POST', '/control/calls/:id/accept', p => calls.accept(p.id!))
	http.add('POST', '/control/calls/:id/accept-on-phone', p => calls.acceptOnPhone(p.id!))
	http.add('POST', '/control/calls/:id/reject', p => calls.reject(p.id!))
	http.add('POST', '/control/calls/:id/hangup', p => calls.hangup(p.id!))
	http.add('POST', '/control/calls/:id/timeout', p => calls.timeout(p.id!))
	http.add('POST', '/control/calls/:id/audio', (p, b) => {
		const body = audioBody.parse(b)
		if (body.tone) return calls.tone(p.id!, body.tone.frequency, body.tone.seconds)
		if (body.wav) return calls.playPcm(p.id!, pcmOfWav(Buffer.from(body.wav, 'base64')))
		throw new ControlError(400, 'tone or wav is required')
	})
	http.add('GET', '/control/calls/:id/heard', p => new RawBody(wav(calls.heard(p.id!)), 'audio/wav'))
	return calls
}
