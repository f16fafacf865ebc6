/**
 * The emulated world: phone accounts (number, LID, identity and Signal keys, simulated phone device 0),
 * their linked devices and what they received. Deterministic from a seed.
 */
import { EventEmitter } from 'node:events'
import { type Logger } from 'pino'
import { parseJid } from '../binary.js'
import { seededBytes, seededKeyPair, sign, signalPub } from '../crypto.js'
import { GroupStore } from './groups.js'
import { SimulatedDevice } from '../signal/device.js'
import { PhoneSenderKeys } from '../signal/sender-keys.js'
import type { Account, LinkedDevice, ReceivedMessage } from './types.js'

export interface AccountSpec {
	phone?: string
	name?: string
	lid?: string
	echo?: boolean
	autoDeliver?: boolean
	autoRead?: boolean
}

export interface WorldEvents {
	received: [account: Account, message: ReceivedMessage]
	status: [account: Account, status: ReceivedMessage]
	deviceLinked: [device: LinkedDevice]
	deviceRemoved: [device: LinkedDevice]
	accountCreated: [account: Account]
	reset: []
}

export const DEFAULT_ACCOUNTS: AccountSpec[] = [
	{ phone: '15550001000', name: 'Emulated Phone' },
	{ phone: '15550002001', name: 'Alice' },
	{ phone: '15550002002', name: 'Bob' },
	{ phone: '15550002003', name: 'Carol' },
	{ phone: '15550009999', name: 'Echo Bot', echo: true }
]

const DEFAULT_PRIVACY = {
	readreceipts: 'all',
	last: 'all',
	online: 'all',
	profile: 'all',
	status: 'all',
	groupadd: 'all',
	calladd: 'all',
	messages: 'all'
}

export class World extends EventEmitter<WorldEvents> {
	private readonly byPhone = new Map<string, Account>()
	private readonly byLid = new Map<string, Account>()
	private phoneCounter = 0
	readonly groups = new GroupStore()

	constructor(
		readonly seed: string,
		private readonly logger: Logger,
		private readonly initial: AccountSpec[] = DEFAULT_ACCOUNTS
	) {
		super()
		this.populate()
	}

	private populate(): void {
		for (const spec of this.initial) this.createAccount(spec)
	}

	/** drops every account and linked device, closing live connections, then recreates the initial accounts */
	reset(): void {
		for (const account of this.byPhone.values()) {
			for (const device of account.devices.values()) {
				device.state = 'removed'
				device.connection?.close('world reset')
			}
		}
		this.byPhone.clear()
		this.byLid.clear()
		this.groups.clear()
		this.phoneCounter = 0
		this.populate()
		this.emit('reset')
	}

	accounts(): Account[] {
		return [...this.byPhone.values()]
	}

	createAccount(spec: AccountSpec = {}): Account {
		const phone = spec.phone ?? this.nextPhone()
		if (!/^\d{5,15}$/.test(phone)) throw new Error(`invalid phone number ${phone}`)
		if (this.byPhone.has(phone)) throw new Error(`account ${phone} already exists`)
		const lid = spec.lid ?? this.lidFor(phone)
		const identity = seededKeyPair(this.seed, `account:${phone}:identity`)
		const signedKp = seededKeyPair(this.seed, `account:${phone}:signed-prekey`)
		const registrationId = (seededBytes(this.seed, `account:${phone}:regid`, 2).readUInt16BE(0) & 0x3fff) + 1
		const signedPreKey = { keyId: 1, keyPair: signedKp, signature: sign(identity.priv, signalPub(signedKp.pub)) }
		const account: Account = {
			phone,
			lid,
			name: spec.name ?? `Contact ${phone}`,
			identity,
			primary: new SimulatedDevice(identity, registrationId, signedPreKey),
			senderKeys: new PhoneSenderKeys(),
			devices: new Map(),
			nextDeviceId: 2,
			nextKeyIndex: 1,
			echo: spec.echo ?? false,
			autoDeliver: spec.autoDeliver ?? true,
			autoRead: spec.autoRead ?? false,
			inbox: [],
			statuses: [],
			sent: new Map(),
			statusText: 'Hey there! I am using WhatsApp.',
			privacy: { ...DEFAULT_PRIVACY },
			blocklist: new Set(),
			presence: 'available',
			lastSeen: Math.floor(Date.now() / 1000),
			chatstates: [],
			createdAt: Date.now()
		}
		this.byPhone.set(phone, account)
		this.byLid.set(lid, account)
		this.logger.debug({ phone, lid }, 'account created')
		this.emit('accountCreated', account)
		return account
	}

	private nextPhone(): string {
		for (;;) {
			const phone = `1555100${String(++this.phoneCounter).padStart(4, '0')}`
			if (!this.byPhone.has(phone)) return phone
		}
	}

	/** a deterministic 15-digit LID for a phone number */
	private lidFor(phone: string): string {
		for (let i = 0; ; i++) {
			const n = seededBytes(this.seed, `lid:${phone}:${i}`, 6).readUIntBE(0, 6) % 9e13
			const lid = String(1e14 + n)
			if (!this.byLid.has(lid)) return lid
		}
	}

	getByPhone(phone: string): Account | undefined {
		return this.byPhone.get(phone.replace(/^\+/, ''))
	}

	getByLid(lid: string): Account | undefined {
		return this.byLid.get(lid)
	}

	/** resolves any user jid (PN or LID, with or without device) to its account */
	resolveJid(jid: string | undefined): { account: Account; device: number; isLid: boolean } | undefined {
		const p = parseJid(jid)
		if (!p) return undefined
		if (p.server === 'lid') {
			const account = this.byLid.get(p.user)
			return account ? { account, device: p.device, isLid: true } : undefined
		}
		if (p.server === 's.whatsapp.net' || p.server === 'c.us') {
			const account = this.byPhone.get(p.user)
			return account ? { account, device: p.device, isLid: false } : undefined
		}
		return undefined
	}

	/** accepts "15550001000", "+15550001000", a PN jid or a LID jid */
	findAccount(ref: string): Account | undefined {
		if (ref.includes('@')) return this.resolveJid(ref)?.account
		return this.getByPhone(ref) ?? this.getByLid(ref)
	}

	linkedDevices(account: Account): LinkedDevice[] {
		return [...account.devices.values()].filter(d => d.state === 'linked')
	}

	allLinkedDevices(): LinkedDevice[] {
		return this.accounts().flatMap(a => [...a.devices.values()])
	}

	addDevice(device: LinkedDevice): void {
		device.account.devices.set(device.id, device)
		this.emit('deviceLinked', device)
	}

	/** marks the device removed; the caller closes its connection */
	removeDevice(device: LinkedDevice): void {
		if (device.state === 'removed') return
		device.state = 'removed'
		device.offline.length = 0
		this.emit('deviceRemoved', device)
	}

	recordReceived(account: Account, message: ReceivedMessage): void {
		account.inbox.push(message)
		if (account.inbox.length > 10_000) account.inbox.splice(0, account.inbox.length - 10_000)
		this.emit('received', account, message)
	}

	recordStatus(account: Account, status: ReceivedMessage): void {
		account.statuses.push(status)
		if (account.statuses.length > 1_000) account.statuses.splice(0, account.statuses.length - 1_000)
		this.emit('status', account, status)
	}
}
