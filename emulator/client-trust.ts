/**
 * Client-side helper for processes that run Baileys against the emulator: trust the emulator's
 * certificate root instead of WhatsApp's. Never call this in a process that talks to the real WhatsApp.
 *
 * Baileys 7.0.0-rc14 checks the Noise certificate chain with `Curve.verify`, which ignores the
 * result of the signature check (it returns true for any well-formed signature). With
 * `enforceSignatures` (default true) this helper also replaces `Curve.verify` by a version that
 * honours the result, so a wrong trusted root really fails the handshake. Curve.verify is only used
 * for the Noise certificates and the pairing account signature, both of which the emulator signs
 * correctly.
 */
import { Agent } from 'node:https'
import { Curve, WA_CERT_DETAILS } from 'baileys'
import { EMULATOR_TLS_CERT } from './media/tls.js'
import * as curve from 'libsignal/src/curve.js'

const ORIGINAL_ROOT = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY)
const ORIGINAL_VERIFY = Curve.verify

function strictVerify(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
	try {
		const key = pubKey.length === 33 ? Buffer.from(pubKey) : Buffer.concat([Buffer.from([5]), pubKey])
		return curve.verifySignature(key, message, signature) === true
	} catch {
		return false
	}
}

export interface TrustOptions {
	/** make Baileys' Curve.verify honour signature results (default true) */
	enforceSignatures?: boolean
}

/** trusts `publicKey` (32 bytes) as the Noise certificate root; returns a function that undoes it */
export function trustEmulatorRoot(publicKey: Buffer, opts: TrustOptions = {}): () => void {
	if (publicKey.length !== 32) throw new Error('emulator root public key must be 32 bytes')
	WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(publicKey)
	if (opts.enforceSignatures ?? true) Curve.verify = strictVerify
	return restoreWhatsAppRoot
}

/** restores WhatsApp's own root key and Baileys' original Curve.verify */
export function restoreWhatsAppRoot(): void {
	WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(ORIGINAL_ROOT)
	Curve.verify = ORIGINAL_VERIFY
}

/**
 * An https.Agent that trusts the emulator's self-signed media certificate, for Baileys' `fetchAgent`
 * socket option (media uploads go to https://<emulator host>/mms/...).
 */
export function emulatorHttpsAgent(): Agent {
	return new Agent({ ca: EMULATOR_TLS_CERT, keepAlive: false })
}
