/**
 * Programmatic control of the emulated world (the HTTP control API is a thin layer over this):
 * accounts, pairing, making phones send/receipt/presence, listing what they received, devices.
 */
import type { proto } from 'baileys'
import { lidJid, pnJid } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import { unlinkDevice } from '../handlers/login.js'
import type { PendingCode } from '../handlers/pair-code.js'
import type { PendingQr } from '../handlers/pair.js'
import { type Addressing, phoneChatstate, phonePresence, phoneReceipt, phoneSend, textMessage } from '../phone.js'
import type { Account, LinkedDevice, MessageStatus, ReceivedMessage, SentMessage } from '../world/types.js'
import type { AccountSpec } from '../world/world.js'

export class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message)
	}
}

export interface AccountView {
	phone: string
	jid: string
	lid: string
	name: string
	echo: boolean
	autoDeliver: boolean
	autoRead: boolean
	statusText: string
	presence: string
	devices: DeviceView[]
}

export interface DeviceView {
	jid: string
	lid: string
	phone: string
	device: number
	platform: string
	pushName?: string
	state: 'linked' | 'removed'
	online: boolean
	pairedAt: string
	lastLoginAt?: string
	queued: number
	preKeys: number
}

export function deviceView(d: LinkedDevice): DeviceView {
	return {
		jid: pnJid(d.account.phone, d.id),
		lid: lidJid(d.account.lid, d.id),
		phone: d.account.phone,
		device: d.id,
		platform: d.platform,
		pushName: d.pushName,
		state: d.state,
		online: !!d.connection?.ready,
		pairedAt: new Date(d.pairedAt).toISOString(),
		lastLoginAt: d.lastLoginAt ? new Date(d.lastLoginAt).toISOString() : undefined,
		queued: d.offline.length,
		preKeys: d.preKeys.size
	}
}

export function accountView(a: Account): AccountView {
	return {
		phone: a.phone,
		jid: pnJid(a.phone),
		lid: lidJid(a.lid),
		name: a.name,
		echo: a.echo,
		autoDeliver: a.autoDeliver,
		autoRead: a.autoRead,
		statusText: a.statusText,
		presence: a.presence,
		devices: [...a.devices.values()].map(deviceView)
	}
}

export interface SendRequest {
	to: string
	text?: string
	/** any proto.Message object (JSON form), instead of text */
	message?: proto.IMessage
	/** quote an earlier message: its id (looked up in the sender's inbox/sent list) */
	quote?: { id: string; participant?: string; text?: string }
	addressing?: Addressing
	id?: string
}

export class Control {
	constructor(private readonly ctx: EmulatorContext) {}

	private get world() {
		return this.ctx.world
	}

	account(ref: string): Account {
		const a = this.world.findAccount(ref)
		if (!a) throw new ControlError(404, `no account ${ref}`)
		return a
	}

	listAccounts(): AccountView[] {
		return this.world.accounts().map(accountView)
	}

	createAccount(spec: AccountSpec): AccountView {
		try {
			return accountView(this.world.createAccount(spec))
		} catch (err) {
			throw new ControlError(409, (err as Error).message)
		}
	}

	updateAccount(ref: string, patch: Partial<Pick<Account, 'echo' | 'autoDeliver' | 'autoRead' | 'name' | 'statusText'>>): AccountView {
		const a = this.account(ref)
		Object.assign(a, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)))
		return accountView(a)
	}

	pendingQrs(): PendingQr[] {
		return this.ctx.services.qr.list()
	}

	async scanQr(qr: string, phone: string): Promise<DeviceView> {
		const account = this.account(phone)
		try {
			return deviceView(await this.ctx.services.qr.scan(qr, account))
		} catch (err) {
			throw new ControlError(400, (err as Error).message)
		}
	}

	pendingCodes(): PendingCode[] {
		return this.ctx.services.codes.list()
	}

	async enterCode(code: string, opts: { phone?: string; ref?: string } = {}): Promise<DeviceView> {
		try {
			return deviceView(await this.ctx.services.codes.enter(code, opts))
		} catch (err) {
			throw new ControlError(400, (err as Error).message)
		}
	}

	devices(): DeviceView[] {
		return this.world.allLinkedDevices().map(deviceView)
	}

	device(jid: string): LinkedDevice {
		const r = this.world.resolveJid(jid)
		const d = r ? r.account.devices.get(r.device) : undefined
		if (!d) throw new ControlError(404, `no linked device ${jid}`)
		return d
	}

	/** drops the device's live connection (the client will reconnect) */
	disconnect(jid: string): boolean {
		const d = this.device(jid)
		const conn = d.connection
		if (!conn) return false
		conn.close('dropped by control API')
		return true
	}

	/** the phone unlinks the device: its connection closes with 401 and it can no longer log in */
	unlink(jid: string): DeviceView {
		const d = this.device(jid)
		if (d.state === 'removed') throw new ControlError(409, 'device already removed')
		unlinkDevice(this.ctx, d)
		return deviceView(d)
	}

	async send(fromRef: string, req: SendRequest): Promise<SentMessage> {
		const from = this.account(fromRef)
		const to = this.account(req.to)
		let message: proto.IMessage
		if (req.message) message = req.message
		else if (req.text !== undefined) message = textMessage(req.text, req.quote ? this.resolveQuote(from, req.quote) : undefined)
		else throw new ControlError(400, 'text or message required')
		return phoneSend(this.ctx, from, to, message, { id: req.id, addressing: req.addressing })
	}

	private resolveQuote(from: Account, quote: NonNullable<SendRequest['quote']>): { id: string; participant: string; text?: string } {
		const received = from.inbox.find(m => m.id === quote.id)
		if (received) return { id: quote.id, participant: quote.participant ?? pnJid(received.fromPhone), text: quote.text ?? received.text }
		const sent = from.sent.get(quote.id)
		if (sent) return { id: quote.id, participant: quote.participant ?? pnJid(from.phone), text: quote.text ?? sent.text }
		return { id: quote.id, participant: quote.participant ?? pnJid(from.phone), text: quote.text }
	}

	received(ref: string, filter: { from?: string; since?: number } = {}): ReceivedMessage[] {
		const a = this.account(ref)
		const fromPhone = filter.from ? this.world.findAccount(filter.from)?.phone ?? filter.from : undefined
		return a.inbox.filter(m => (!fromPhone || m.fromPhone === fromPhone) && (!filter.since || m.timestamp >= filter.since))
	}

	/** resolves once `ref` received `count` messages matching the filter (or rejects after timeoutMs) */
	waitForReceived(ref: string, opts: { from?: string; count?: number; timeoutMs?: number; predicate?: (m: ReceivedMessage) => boolean } = {}): Promise<ReceivedMessage[]> {
		const a = this.account(ref)
		const count = opts.count ?? 1
		const match = (m: ReceivedMessage): boolean =>
			(!opts.from || m.fromPhone === (this.world.findAccount(opts.from)?.phone ?? opts.from)) && (!opts.predicate || opts.predicate(m))
		const current = (): ReceivedMessage[] => a.inbox.filter(match)
		if (current().length >= count) return Promise.resolve(current())
		return new Promise((resolve, reject) => {
			const onReceived = (acc: Account): void => {
				if (acc !== a) return
				const got = current()
				if (got.length >= count) {
					cleanup()
					resolve(got)
				}
			}
			const timer = setTimeout(() => {
				cleanup()
				reject(new ControlError(408, `timed out waiting for ${count} message(s) on ${a.phone}`))
			}, opts.timeoutMs ?? 10_000)
			const cleanup = (): void => {
				clearTimeout(timer)
				this.world.off('received', onReceived)
			}
			this.world.on('received', onReceived)
		})
	}

	sent(ref: string): SentMessage[] {
		return [...this.account(ref).sent.values()]
	}

	/** `ref`'s phone sends delivery/read/played receipts for messages it received */
	receipt(ref: string, ids: string[], type: Exclude<MessageStatus, 'sent'>): number {
		const reader = this.account(ref)
		let sentCount = 0
		for (const id of ids) {
			const m = reader.inbox.find(x => x.id === id && !x.ownDeviceCopy)
			if (!m || m.fromDevice === 0) continue
			const sender = this.world.getByPhone(m.fromPhone)?.devices.get(m.fromDevice)
			if (!sender) continue
			const chat = m.group ?? (m.chat.endsWith('@lid') ? lidJid(reader.lid) : pnJid(reader.phone))
			phoneReceipt(reader, sender, m.group ?? chat, [id], type, m.group ? reader : undefined)
			sentCount++
		}
		return sentCount
	}

	presence(fromRef: string, toRef: string, type: 'available' | 'unavailable'): void {
		const from = this.account(fromRef)
		const to = this.account(toRef)
		phonePresence(from, to, this.world.linkedDevices(to), type)
	}

	chatstate(fromRef: string, toRef: string, state: 'composing' | 'paused' | 'recording'): void {
		const from = this.account(fromRef)
		const to = this.account(toRef)
		phoneChatstate(from, this.world.linkedDevices(to), state)
	}

	reset(): void {
		this.world.reset()
	}

	connections(): Array<{ id: string; device?: string; loggedIn: boolean; openedAt: string; framesIn: number; framesOut: number }> {
		return [...this.ctx.connections].map(c => ({
			id: c.id,
			device: c.device ? pnJid(c.device.account.phone, c.device.id) : undefined,
			loggedIn: c.loggedIn,
			openedAt: new Date(c.openedAt).toISOString(),
			framesIn: c.framesIn,
			framesOut: c.framesOut
		}))
	}
}
