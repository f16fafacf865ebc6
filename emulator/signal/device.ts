/**
 * A simulated Signal device (device 0 of an emulated phone account): hands out its pre-key bundle,
 * encrypts to linked devices (pkmsg first, then msg) and decrypts what they send.
 */
import { ProtocolAddress, SessionBuilder, SessionCipher } from 'libsignal'
import { proto, unpadRandomMax16, writeRandomPadMax16 } from 'baileys'
import { type KeyPair, signalPub } from '../crypto.js'
import { MemorySignalStore, type SignedPreKey } from './store.js'

export interface PreKeyBundle {
	registrationId: number
	identityKey: Buffer
	signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer }
	preKey?: { keyId: number; publicKey: Buffer }
}

export type EncType = 'pkmsg' | 'msg'

export class SimulatedDevice {
	readonly store: MemorySignalStore

	constructor(identity: KeyPair, registrationId: number, signedPreKey: SignedPreKey) {
		this.store = new MemorySignalStore(identity, registrationId, signedPreKey)
	}

	/** bundle with a fresh one-time pre-key (raw 32-byte keys, as in the `encrypt` iq) */
	takeBundle(): { registrationId: number; identity: Buffer; signedPreKey: SignedPreKey; preKey: { keyId: number; pub: Buffer } } {
		return {
			registrationId: this.store.registrationId,
			identity: this.store.identity.pub,
			signedPreKey: this.store.signedPreKey,
			preKey: this.store.newPreKey()
		}
	}

	hasSession(address: string): boolean {
		return this.store.hasSession(`${address}.0`)
	}

	resetSession(address: string): void {
		this.store.deleteSession(`${address}.0`)
	}

	async startSession(address: string, bundle: PreKeyBundle): Promise<void> {
		const builder = new SessionBuilder(this.store, new ProtocolAddress(address, 0))
		await builder.initOutgoing({
			registrationId: bundle.registrationId,
			identityKey: signalPub(bundle.identityKey),
			signedPreKey: {
				keyId: bundle.signedPreKey.keyId,
				publicKey: signalPub(bundle.signedPreKey.publicKey),
				signature: bundle.signedPreKey.signature
			},
			preKey: bundle.preKey
				? { keyId: bundle.preKey.keyId, publicKey: signalPub(bundle.preKey.publicKey) }
				: (undefined as unknown as { keyId: number; publicKey: Uint8Array })
		})
	}

	/** encrypts an already padded plaintext */
	async encryptRaw(address: string, plaintext: Buffer): Promise<{ type: EncType; ciphertext: Buffer }> {
		const cipher = new SessionCipher(this.store, new ProtocolAddress(address, 0))
		const { type, body } = await cipher.encrypt(plaintext)
		return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') }
	}

	async encryptMessage(address: string, message: proto.IMessage): Promise<{ type: EncType; ciphertext: Buffer }> {
		const bytes = writeRandomPadMax16(proto.Message.encode(message).finish())
		return this.encryptRaw(address, bytes)
	}

	async decrypt(address: string, type: EncType, ciphertext: Uint8Array): Promise<Buffer> {
		const cipher = new SessionCipher(this.store, new ProtocolAddress(address, 0))
		const buf = Buffer.from(ciphertext)
		return type === 'pkmsg' ? cipher.decryptPreKeyWhisperMessage(buf) : cipher.decryptWhisperMessage(buf)
	}

	async decryptMessage(address: string, type: EncType, ciphertext: Uint8Array): Promise<proto.Message> {
		const padded = await this.decrypt(address, type, ciphertext)
		return proto.Message.decode(unpadRandomMax16(padded))
	}
}
