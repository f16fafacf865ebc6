/**
 * Small crypto toolbox for the emulator: Curve25519 key pairs (optionally derived from a seed),
 * XEdDSA signatures, DH, HKDF, HMAC and the pairing-code PBKDF2.
 * Public keys are always the raw 32 bytes; the Signal "type 5" prefix is added where libsignal needs it.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2, randomBytes } from 'node:crypto'
import * as curve from 'libsignal/src/curve.js'
import { hkdf as baileysHkdf } from 'baileys'

export interface KeyPair {
	/** 32-byte Curve25519 public key (no type prefix) */
	pub: Buffer
	/** 32-byte private key */
	priv: Buffer
}

const PKCS8_X25519_PREFIX = Buffer.from([48, 46, 2, 1, 0, 48, 5, 6, 3, 43, 101, 110, 4, 34, 4, 32])
const KEY_TYPE = Buffer.from([5])

export function keyPairFromPrivate(priv: Buffer): KeyPair {
	const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, priv]), format: 'der', type: 'pkcs8' })
	const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' })
	return { pub: Buffer.from(spki.subarray(spki.length - 32)), priv: Buffer.from(priv) }
}

export function randomKeyPair(): KeyPair {
	return keyPairFromPrivate(randomBytes(32))
}

/** Deterministic key pair: the private key is sha256(seed | label). */
export function seededKeyPair(seed: string, label: string): KeyPair {
	return keyPairFromPrivate(sha256(Buffer.from(`${seed}|${label}`)))
}

/** Deterministic bytes derived from the seed (for ids, registration ids...). */
export function seededBytes(seed: string, label: string, length: number): Buffer {
	const out: Buffer[] = []
	let total = 0
	for (let i = 0; total < length; i++) {
		const chunk = sha256(Buffer.from(`${seed}|${label}|${i}`))
		out.push(chunk)
		total += chunk.length
	}
	return Buffer.concat(out).subarray(0, length)
}

export function signalPub(pub: Uint8Array): Buffer {
	return pub.length === 33 ? Buffer.from(pub) : Buffer.concat([KEY_TYPE, pub])
}

export function sign(priv: Buffer, message: Uint8Array): Buffer {
	return Buffer.from(curve.calculateSignature(priv, message))
}

/** Real signature check (unlike Baileys' Curve.verify, which ignores the result). */
export function verify(pub: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
	try {
		return curve.verifySignature(signalPub(pub), message, signature) === true
	} catch {
		return false
	}
}

export function dh(priv: Buffer, pub: Uint8Array): Buffer {
	return Buffer.from(curve.calculateAgreement(signalPub(pub), priv))
}

export function hkdf(ikm: Uint8Array, length: number, opts: { salt?: Uint8Array; info?: string } = {}): Buffer {
	return Buffer.from(baileysHkdf(ikm, length, { salt: opts.salt, info: opts.info ?? '' }))
}

export function sha256(data: Uint8Array): Buffer {
	return createHash('sha256').update(data).digest()
}

export function hmacSha256(data: Uint8Array, key: Uint8Array): Buffer {
	return createHmac('sha256', key).update(data).digest()
}

export function aesGcmEncrypt(plaintext: Uint8Array, key: Uint8Array, iv: Uint8Array, aad: Uint8Array): Buffer {
	const cipher = createCipheriv('aes-256-gcm', key, iv)
	cipher.setAAD(aad)
	return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
}

export function aesGcmDecrypt(ciphertext: Uint8Array, key: Uint8Array, iv: Uint8Array, aad: Uint8Array): Buffer {
	const decipher = createDecipheriv('aes-256-gcm', key, iv)
	decipher.setAAD(aad)
	decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16))
	return Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()])
}

export function aesCtr(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
	const cipher = createCipheriv('aes-256-ctr', key, iv)
	return Buffer.concat([cipher.update(data), cipher.final()])
}

export function aesCbcEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
	const cipher = createCipheriv('aes-256-cbc', key, iv)
	return Buffer.concat([cipher.update(data), cipher.final()])
}

export function aesCbcDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
	const decipher = createDecipheriv('aes-256-cbc', key, iv)
	return Buffer.concat([decipher.update(data), decipher.final()])
}

/** The key WhatsApp derives from an 8-character pairing code (PBKDF2-SHA256, 2^17 rounds). */
export function pairingCodeKey(code: string, salt: Uint8Array): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		pbkdf2(Buffer.from(code, 'utf8'), salt, 2 << 16, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key)))
	})
}

export { randomBytes }
