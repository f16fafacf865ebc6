/** In-memory libsignal store for one simulated device (an emulated phone's device 0). */
import { type SessionRecord, type SignalStorage } from 'libsignal'
import { type KeyPair, randomKeyPair, signalPub } from '../crypto.js'

export interface SignedPreKey {
	keyId: number
	keyPair: KeyPair
	signature: Buffer
}

export class MemorySignalStore implements SignalStorage {
	private readonly sessions = new Map<string, SessionRecord>()
	private readonly preKeys = new Map<number, KeyPair>()
	private nextPreKeyId = 1

	constructor(
		readonly identity: KeyPair,
		readonly registrationId: number,
		readonly signedPreKey: SignedPreKey
	) {}

	async loadSession(id: string): Promise<SessionRecord | undefined> {
		return this.sessions.get(id)
	}

	async storeSession(id: string, session: SessionRecord): Promise<void> {
		this.sessions.set(id, session)
	}

	hasSession(id: string): boolean {
		return this.sessions.get(id)?.haveOpenSession() ?? false
	}

	deleteSession(id: string): void {
		this.sessions.delete(id)
	}

	isTrustedIdentity(): boolean {
		return true
	}

	async loadPreKey(id: number | string): Promise<{ privKey: Buffer; pubKey: Buffer } | undefined> {
		const kp = this.preKeys.get(Number(id))
		return kp ? { privKey: kp.priv, pubKey: signalPub(kp.pub) } : undefined
	}

	removePreKey(id: number): void {
		this.preKeys.delete(Number(id))
	}

	loadSignedPreKey(): { privKey: Buffer; pubKey: Buffer } {
		return { privKey: this.signedPreKey.keyPair.priv, pubKey: signalPub(this.signedPreKey.keyPair.pub) }
	}

	getOurRegistrationId(): number {
		return this.registrationId
	}

	getOurIdentity(): { privKey: Buffer; pubKey: Buffer } {
		return { privKey: this.identity.priv, pubKey: signalPub(this.identity.pub) }
	}

	/** creates a fresh one-time pre-key (the server hands it out in a bundle) */
	newPreKey(): { keyId: number; pub: Buffer } {
		const keyId = this.nextPreKeyId++
		if (this.nextPreKeyId > 0xffffff) this.nextPreKeyId = 1
		const kp = randomKeyPair()
		this.preKeys.set(keyId, kp)
		return { keyId, pub: kp.pub }
	}
}
