/**
 * The emulator's own Noise certificate chain: root -> intermediate (issuerSerial 0) -> leaf.
 * Baileys checks the intermediate against WA_CERT_DETAILS.PUBLIC_KEY, so a client must trust
 * `rootPublicKey` (see client-trust.ts). Everything is derived from the seed.
 */
import { proto } from 'baileys'
import { type KeyPair, seededKeyPair, sign } from './crypto.js'

export interface CertBundle {
	root: KeyPair
	intermediate: KeyPair
	/** the server's static Noise key pair; the leaf certifies its public key */
	serverStatic: KeyPair
	/** encoded proto.CertChain sent in the server hello */
	chain: Buffer
}

const ISSUER_SERIAL_ROOT = 0
const INTERMEDIATE_SERIAL = 1
const LEAF_SERIAL = 2

export function makeCertBundle(seed: string): CertBundle {
	const root = seededKeyPair(seed, 'cert-root')
	const intermediate = seededKeyPair(seed, 'cert-intermediate')
	const serverStatic = seededKeyPair(seed, 'noise-static')
	const now = Math.floor(Date.now() / 1000)
	const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
		serial: INTERMEDIATE_SERIAL,
		issuerSerial: ISSUER_SERIAL_ROOT,
		key: intermediate.pub,
		notBefore: now - 86400,
		notAfter: now + 10 * 365 * 86400
	}).finish()
	const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
		serial: LEAF_SERIAL,
		issuerSerial: INTERMEDIATE_SERIAL,
		key: serverStatic.pub,
		notBefore: now - 86400,
		notAfter: now + 365 * 86400
	}).finish()
	const chain = proto.CertChain.encode({
		intermediate: { details: intermediateDetails, signature: sign(root.priv, intermediateDetails) },
		leaf: { details: leafDetails, signature: sign(intermediate.priv, leafDetails) }
	}).finish()
	return { root, intermediate, serverStatic, chain: Buffer.from(chain) }
}
