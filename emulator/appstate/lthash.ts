/**
 * The collection integrity hash of app-state sync (an "LT hash"): 128 bytes, the sum (as 64
 * little-endian uint16 lanes, wrapping) of HKDF("WhatsApp Patch Integrity") expansions of the value
 * MAC of every mutation the collection holds. A SET adds its value MAC (after taking out the one it
 * replaces at the same index), a REMOVE takes the held one out. The snapshot MAC is an HMAC of it.
 */
import { hkdf, hmacSha256 } from '../crypto.js'

const SIZE = 128

function expand(valueMac: Uint8Array): Buffer {
	return hkdf(valueMac, SIZE, { info: 'WhatsApp Patch Integrity' })
}

function combine(hash: Buffer, valueMac: Uint8Array, sign: 1 | -1): void {
	const e = expand(valueMac)
	for (let i = 0; i < SIZE; i += 2) hash.writeUInt16LE((hash.readUInt16LE(i) + sign * e.readUInt16LE(i) + 0x10000) & 0xffff, i)
}

export interface IntegrityState {
	hash: Buffer
	/** value MAC held for each index MAC (base64) */
	values: Map<string, Buffer>
}

export const emptyIntegrity = (): IntegrityState => ({ hash: Buffer.alloc(SIZE), values: new Map() })

export function mixMutation(state: IntegrityState, m: { operation: 'set' | 'remove'; indexMac: Uint8Array; valueMac: Uint8Array }): void {
	const key = Buffer.from(m.indexMac).toString('base64')
	const previous = state.values.get(key)
	if (previous) combine(state.hash, previous, -1)
	if (m.operation === 'set') {
		combine(state.hash, m.valueMac, 1)
		state.values.set(key, Buffer.from(m.valueMac))
	} else state.values.delete(key)
}

export function snapshotMac(state: IntegrityState, version: number, collection: string, snapshotMacKey: Uint8Array): Buffer {
	const v = Buffer.alloc(8)
	v.writeBigUInt64BE(BigInt(version))
	return hmacSha256(Buffer.concat([state.hash, v, Buffer.from(collection, 'utf8')]), snapshotMacKey)
}
