/**
 * Server side of Noise_XX_25519_AESGCM_SHA256 as used by WhatsApp Web, plus the transport keys.
 * Mirrors Baileys' Utils/noise-handler.js (client side).
 */
import { NOISE_MODE, proto } from 'baileys'
import { aesGcmDecrypt, aesGcmEncrypt, dh, hkdf, type KeyPair, randomKeyPair, sha256 } from '../crypto.js'

export class HandshakeError extends Error {
	override name = 'HandshakeError'
}

function ivFor(counter: number): Buffer {
	const iv = Buffer.alloc(12)
	iv.writeUInt32BE(counter, 8)
	return iv
}

/** symmetric state during the handshake */
class SymmetricState {
	private hash: Buffer
	private salt: Buffer
	private key: Buffer
	private counter = 0

	constructor() {
		const mode = Buffer.from(NOISE_MODE)
		this.hash = mode.length === 32 ? mode : sha256(mode)
		this.salt = this.hash
		this.key = this.hash
	}

	mixHash(data: Uint8Array): void {
		this.hash = sha256(Buffer.concat([this.hash, data]))
	}

	mixKey(ikm: Uint8Array): void {
		const out = hkdf(ikm, 64, { salt: this.salt })
		this.salt = out.subarray(0, 32)
		this.key = out.subarray(32)
		this.counter = 0
	}

	encrypt(plaintext: Uint8Array): Buffer {
		const ct = aesGcmEncrypt(plaintext, this.key, ivFor(this.counter++), this.hash)
		this.mixHash(ct)
		return ct
	}

	decrypt(ciphertext: Uint8Array): Buffer {
		const pt = aesGcmDecrypt(ciphertext, this.key, ivFor(this.counter++), this.hash)
		this.mixHash(ciphertext)
		return pt
	}

	split(): { clientToServer: Buffer; serverToClient: Buffer } {
		const out = hkdf(Buffer.alloc(0), 64, { salt: this.salt })
		return { clientToServer: out.subarray(0, 32), serverToClient: out.subarray(32) }
	}
}

/** AES-GCM transport after the handshake: separate counters per direction, empty AAD */
export class NoiseTransport {
	private readCounter = 0
	private writeCounter = 0
	constructor(
		private readonly readKey: Buffer,
		private readonly writeKey: Buffer
	) {}

	encrypt(plaintext: Uint8Array): Buffer {
		return aesGcmEncrypt(plaintext, this.writeKey, ivFor(this.writeCounter++), Buffer.alloc(0))
	}

	decrypt(ciphertext: Uint8Array): Buffer {
		return aesGcmDecrypt(ciphertext, this.readKey, ivFor(this.readCounter++), Buffer.alloc(0))
	}
}

export interface HandshakeResult {
	transport: NoiseTransport
	/** the client's static Noise public key (identifies a linked device) */
	clientStatic: Buffer
	payload: proto.ClientPayload
}

/** One server handshake: call `serverHello` with the first frame, then `finish` with the second. */
export class ServerHandshake {
	private readonly state = new SymmetricState()
	private readonly ephemeral: KeyPair = randomKeyPair()

	constructor(
		private readonly serverStatic: KeyPair,
		private readonly certChain: Buffer,
		header: Buffer
	) {
		this.state.mixHash(header)
	}

	/** Handles HandshakeMessage.clientHello; returns the encoded serverHello to send. */
	serverHello(frame: Buffer): Buffer {
		const msg = decodeHandshake(frame)
		const clientEphemeral = msg.clientHello?.ephemeral
		if (!clientEphemeral || clientEphemeral.length !== 32) {
			throw new HandshakeError('client hello without a 32-byte ephemeral key')
		}
		this.clientEphemeral = Buffer.from(clientEphemeral)
		this.state.mixHash(this.clientEphemeral)
		this.state.mixHash(this.ephemeral.pub)
		this.state.mixKey(dh(this.ephemeral.priv, this.clientEphemeral))
		const encStatic = this.state.encrypt(this.serverStatic.pub)
		this.state.mixKey(dh(this.serverStatic.priv, this.clientEphemeral))
		const encPayload = this.state.encrypt(this.certChain)
		return Buffer.from(
			proto.HandshakeMessage.encode({
				serverHello: { ephemeral: this.ephemeral.pub, static: encStatic, payload: encPayload }
			}).finish()
		)
	}

	/** Handles HandshakeMessage.clientFinish; returns the transport and the client payload. */
	finish(frame: Buffer): HandshakeResult {
		const msg = decodeHandshake(frame)
		const fin = msg.clientFinish
		if (!fin?.static || !fin.payload) {
			throw new HandshakeError('client finish without static key or payload')
		}
		let clientStatic: Buffer
		let payloadBytes: Buffer
		try {
			clientStatic = this.state.decrypt(fin.static)
			this.state.mixKey(dh(this.ephemeral.priv, clientStatic))
			payloadBytes = this.state.decrypt(fin.payload)
		} catch (err) {
			throw new HandshakeError(`client finish decryption failed: ${(err as Error).message}`)
		}
		if (clientStatic.length !== 32) {
			throw new HandshakeError('client static key is not 32 bytes')
		}
		let payload: proto.ClientPayload
		try {
			payload = proto.ClientPayload.decode(payloadBytes)
		} catch (err) {
			throw new HandshakeError(`bad ClientPayload: ${(err as Error).message}`)
		}
		const { clientToServer, serverToClient } = this.state.split()
		return { transport: new NoiseTransport(clientToServer, serverToClient), clientStatic, payload }
	}

	private clientEphemeral: Buffer | undefined
}

function decodeHandshake(frame: Buffer): proto.HandshakeMessage {
	try {
		return proto.HandshakeMessage.decode(frame)
	} catch (err) {
		throw new HandshakeError(`bad HandshakeMessage: ${(err as Error).message}`)
	}
}
