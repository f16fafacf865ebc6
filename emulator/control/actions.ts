/**
 * Programmatic control of the emulated world (the HTTP control API is a thin layer over this):
 * accounts, pairing, making phones send/receipt/presence, listing what they received, devices.
 */
import type { proto } from 'baileys'
import { lidJid, node, pnJid } from '../binary.js'
import { phoneGroupSend } from '../handlers/group-message.js'
import { changeParticipants, notifyGroup, type ParticipantAction } from '../handlers/groups.js'
import { buildPollVote } from '../poll.js'
import { changeGroup, type GroupChange } from './group-actions.js'
import { buildMediaMessage, decryptReceivedMedia, type MediaInput } from '../media/phone-media.js'
import { type Group, groupNode } from '../world/groups.js'
import { accountView, deviceView, groupView, type AccountView, type DeviceView, type GroupView } from './views.js'
import type { EmulatorContext } from '../context.js'
import { unlinkDevice } from '../handlers/login.js'
import type { PendingCode } from '../handlers/pair-code.js'
import type { PendingQr } from '../handlers/pair.js'
import { type Addressing, phoneChatstate, phonePresence, phoneReceipt, phoneRetryRequest, phoneSend, textMessage } from '../phone.js'
import type { Account, LinkedDevice, MessageStatus, ReceivedMessage, SentMessage } from '../world/types.js'
import type { AccountSpec } from '../world/world.js'
import { type AppStateMutation, appStateOf } from '../appstate/store.js'
import { phoneStatusPost } from '../handlers/status-message.js'

export class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message)
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
	/** media to encrypt, upload to the emulator and send (instead of text) */
	media?: MediaInput
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
			return accountView(this.world.createAccount({ ...spec, phone: spec.phone?.replace(/^\+/, '') }))
		} catch (err) {
			throw new ControlError(409, (err as Error).message)
		}
	}

	updateAccount(ref: string, patch: Partial<Pick<Account, 'echo' | 'autoDeliver' | 'autoRead' | 'name' | 'statusText'>> & { groupAdd?: string }): AccountView {
		const a = this.account(ref)
		const { groupAdd, ...rest } = patch
		Object.assign(a, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)))
		if (groupAdd) a.privacy.groupadd = groupAdd
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
		else if (req.media) message = await buildMediaMessage(this.ctx.services.media, this.ctx.httpBase(), req.media)
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

	/** `ref`'s phone votes on a poll it received (options by name) */
	async pollVote(ref: string, pollId: string, options: string[]): Promise<SentMessage> {
		const voter = this.account(ref)
		const poll = voter.inbox.find(m => m.id === pollId)
		if (!poll) throw new ControlError(404, `no poll ${pollId} on ${ref}`)
		let message: proto.IMessage
		try {
			message = buildPollVote(voter, poll, options)
		} catch (err) {
			throw new ControlError(422, (err as Error).message)
		}
		return phoneSend(this.ctx, voter, this.account(poll.fromPhone), message)
	}

	/** decrypts the media of a message `ref`'s phone received */
	async receivedMedia(ref: string, id: string): Promise<{ data: Buffer; mimetype: string }> {
		const account = this.account(ref)
		const m = account.inbox.find(x => x.id === id) ?? account.statuses.find(x => x.id === id)
		if (!m) throw new ControlError(404, `no message ${id} on ${ref}`)
		try {
			return await decryptReceivedMedia(this.ctx.services.media, m)
		} catch (err) {
			throw new ControlError(422, (err as Error).message)
		}
	}

	/** status posts `ref`'s phone received (status@broadcast), oldest first */
	statuses(ref: string, filter: { from?: string } = {}): ReceivedMessage[] {
		const a = this.account(ref)
		const fromPhone = filter.from ? this.account(filter.from).phone : undefined
		return a.statuses.filter(m => !fromPhone || m.fromPhone === fromPhone)
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

	/**
	 * `ref`'s phone asks the linked device that sent message `id` to send it again (a retry
	 * receipt, as when the phone could not decrypt it); the re-sent copy lands in the inbox again.
	 */
	requestResend(ref: string, id: string): void {
		const reader = this.account(ref)
		const m = reader.inbox.find(x => x.id === id && !x.ownDeviceCopy && !x.group)
		if (!m || m.fromDevice === 0) throw new ControlError(404, `no message ${id} from a linked device on ${ref}`)
		const sender = this.world.getByPhone(m.fromPhone)?.devices.get(m.fromDevice)
		if (!sender) throw new ControlError(404, `the device that sent ${id} is gone`)
		phoneRetryRequest(reader, sender, m.chat.endsWith('@lid') ? lidJid(reader.lid) : pnJid(reader.phone), id)
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

	/** app-state mutations the account's linked devices synced (pin, archive, mute, markChatAsRead, deleteChat…), oldest first */
	appState(ref: string, filter: { action?: string; chat?: string } = {}): AppStateMutation[] {
		const account = this.account(ref)
		// a chat given as a number, PN or LID jid matches mutations that name it either way
		const canonical = (jid: string) => {
			const other = this.world.findAccount(jid)
			return other ? pnJid(other.phone) : jid
		}
		const chat = filter.chat ? canonical(filter.chat) : undefined
		return appStateOf(account).mutations.filter(m => (!filter.action || m.action === filter.action) && (!chat || (m.chat !== undefined && canonical(m.chat) === chat)))
	}

	/**
	 * refuses the next `count` app-state patches of the account's linked devices with 409 conflict,
	 * as when another device pushed first (to test how clients recover); returns the count now pending
	 */
	injectAppStateConflicts(ref: string, count = 1): number {
		const state = appStateOf(this.account(ref))
		state.conflictsToInject = Math.max(0, count)
		return state.conflictsToInject
	}

	/** chat states (composing, paused, recording) linked devices sent to this account's phone, oldest first */
	chatstates(ref: string): Array<{ from: string; state: string; at: number }> {
		return [...this.account(ref).chatstates]
	}

	stats(): Record<string, unknown> {
		const cpu = process.cpuUsage()
		const mem = process.memoryUsage()
		return {
			...this.ctx.stats,
			connections: this.ctx.connections.size,
			cpuUserMs: cpu.user / 1000,
			cpuSystemMs: cpu.system / 1000,
			rssMb: Math.round(mem.rss / 1048576),
			heapUsedMb: Math.round(mem.heapUsed / 1048576),
			uptimeMs: Math.round(process.uptime() * 1000)
		}
	}

	/** sends `count` numbered texts ("text #1"...) concurrently; for load tests */
	async sendMany(fromRef: string, to: string, text: string, count: number): Promise<string[]> {
		const jobs: Array<Promise<SentMessage>> = []
		for (let i = 1; i <= count; i++) jobs.push(this.send(fromRef, { to, text: `${text} #${i}` }))
		return (await Promise.all(jobs)).map(s => s.id)
	}

	groups(): GroupView[] {
		return this.world.groups.list().map(groupView)
	}

	group(jid: string): Group {
		const g = this.world.groups.get(jid)
		if (!g) throw new ControlError(404, `no group ${jid}`)
		return g
	}

	createGroup(creatorRef: string, subject: string, participants: string[]): GroupView {
		const creator = this.account(creatorRef)
		const group = this.world.groups.create(creator, subject, participants.map(p => this.account(p)))
		notifyGroup(this.ctx, group, creator, node('create', {}, [groupNode(group)]))
		return groupView(group)
	}

	/** `fromRef`'s phone posts a text status that the linked devices of `to` receive */
	async statusPost(fromRef: string, req: { text: string; to: string[]; id?: string }): Promise<string> {
		const from = this.account(fromRef)
		return phoneStatusPost(this.ctx, from, req.to.map(t => this.account(t)), textMessage(req.text), req.id)
	}

	async groupSend(jid: string, fromRef: string, req: Omit<SendRequest, 'to' | 'addressing'>): Promise<string> {
		const group = this.group(jid)
		const from = this.account(fromRef)
		if (!group.members.has(from.phone)) throw new ControlError(403, `${from.phone} is not a member`)
		const message = req.message ?? (req.media ? await buildMediaMessage(this.ctx.services.media, this.ctx.httpBase(), req.media) : undefined) ?? (req.text !== undefined ? textMessage(req.text, req.quote ? this.resolveQuote(from, req.quote) : undefined) : undefined)
		if (!message) throw new ControlError(400, 'text or message required')
		return phoneGroupSend(this.ctx, from, group, message, req.id)
	}

	/** `actorRef`'s phone changes the group's subject, description or settings */
	changeGroup(jid: string, actorRef: string, change: GroupChange): GroupView {
		const group = this.group(jid)
		try {
			changeGroup(this.ctx, group, this.account(actorRef), change)
		} catch (err) {
			throw new ControlError(403, (err as Error).message)
		}
		return groupView(group)
	}

	groupParticipants(jid: string, actorRef: string, action: ParticipantAction, participants: string[]): GroupView {
		const group = this.group(jid)
		try {
			changeParticipants(this.ctx, group, this.account(actorRef), action, participants.map(p => this.account(p)))
		} catch (err) {
			throw new ControlError(403, (err as Error).message)
		}
		return groupView(group)
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
