/**
 * Control of emulated calls (in process, and over the HTTP control API under /control): an emulated
 * phone calls an account's linked devices, answers, rejects or hangs up, and lists its calls.
 */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import { callStanzaHandler } from './call-stanza.js'
import { CallRegistry, type EmulatedCall } from './calls.js'

export interface CallView {
	id: string
	direction: EmulatedCall['direction']
	contact: string
	peer: string
	device: string | null
	creator: string
	video: boolean
	state: EmulatedCall['state']
	history: EmulatedCall['history']
	callKey: string | null
	endReason: string | null
}

export function callView(call: EmulatedCall): CallView {
	return {
		id: call.id,
		direction: call.direction,
		contact: call.contact.phone,
		peer: call.peer.phone,
		device: call.device ? `${call.device.account.phone}:${call.device.id}` : null,
		creator: call.creator,
		video: call.video,
		state: call.state,
		history: call.history.map(h => ({ ...h })),
		callKey: call.callKey ?? null,
		endReason: call.endReason ?? null
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

	/** `from`'s phone calls `to` (every linked device of `to` rings) */
	async start(from: string, to: string, opts: { video?: boolean } = {}): Promise<CallView> {
		const contact = this.account(from)
		const peer = this.account(to)
		try {
			return callView(await this.registry.call(contact, peer, opts))
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
	reject = (id: string) => this.act(id, c => this.registry.reject(c))
	hangup = (id: string) => this.act(id, c => this.registry.hangup(c))
	timeout = (id: string) => this.act(id, c => this.registry.timeout(c))
}

const startBody = z.object({ to: z.string().min(1), video: z.boolean().optional() })

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
	http.add('POST', '/control/calls/:id/reject', p => calls.reject(p.id!))
	http.add('POST', '/control/calls/:id/hangup', p => calls.hangup(p.id!))
	http.add('POST', '/control/calls/:id/timeout', p => calls.timeout(p.id!))
	return calls
}
