/**
 * App-state (syncd) cryptography as a WhatsApp phone sees it, written from the protocol (not from
 * Baileys' implementation): the 160 bytes of mutation keys expanded from an app-state sync key,
 * value encryption (AES-256-CBC, IV first), value MAC (HMAC-SHA512 truncated to 32 bytes over
 * operation byte, key id, ciphertext and key-id length), index MAC (HMAC-SHA256) and patch MAC.
 */
import { createHmac } from 'node:crypto'
import { proto } from 'baileys'
import { aesCbcDecrypt, hkdf, hmacSha256 } from '../crypto.js'

export interface MutationKeys {
	indexKey: Buffer
	valueEncryptionKey: Buffer
	valueMacKey: Buffer
	snapshotMacKey: Buffer
	patchMacKey: Buffer
}

export function mutationKeys(keyData: Uint8Array): MutationKeys {
	const expanded = hkdf(keyData, 160, { info: 'WhatsApp Mutation Keys' })
	return {
		indexKey: expanded.subarray(0, 32),
		valueEncryptionKey: expanded.subarray(32, 64),
		valueMacKey: expanded.subarray(64, 96),
		snapshotMacKey: expanded.subarray(96, 128),
		patchMacKey: expanded.subarray(128, 160)
	}
}

const SET = proto.SyncdMutation.SyncdOperation.SET

function uint64(value: number): Buffer {
	const b = Buffer.alloc(8)
	b.writeBigUInt64BE(BigInt(value))
	return b
}

export function valueMac(operation: number, encrypted: Uint8Array, keyId: Uint8Array, macKey: Uint8Array): Buffer {
	const head = Buffer.concat([Buffer.from([operation === SET ? 0x01 : 0x02]), keyId])
	const tail = Buffer.alloc(8)
	tail[7] = head.length
	return createHmac('sha512', macKey).update(Buffer.concat([head, encrypted, tail])).digest().subarray(0, 32)
}

export function patchMac(snapshotMac: Uint8Array, valueMacs: Uint8Array[], version: number, collection: string, macKey: Uint8Array): Buffer {
	return hmacSha256(Buffer.concat([snapshotMac, ...valueMacs, uint64(version), Buffer.from(collection, 'utf8')]), macKey)
}

/** one mutation of a patch, decrypted and checked */
export interface DecodedMutation {
	operation: 'set' | 'remove'
	/** the JSON index, e.g. ["pin_v1", "123@s.whatsapp.net"] */
	index: string[]
	value: proto.ISyncActionValue
	apiVersion: number
	indexMac: Buffer
	valueMac: Buffer
}

export class AppStatePatchError extends Error {
	override name = 'AppStatePatchError'
}

/** verifies the patch MAC and each mutation's MACs, then decrypts the mutations */
export function decodePatch(patch: proto.ISyncdPatch, collection: string, version: number, keys: MutationKeys): DecodedMutation[] {
	const mutations = patch.mutations ?? []
	const macs = mutations.map(m => Buffer.from(m.record?.value?.blob ?? new Uint8Array()).subarray(-32))
	if (!patch.snapshotMac || !patch.patchMac) throw new AppStatePatchError('patch without snapshotMac or patchMac')
	const expected = patchMac(patch.snapshotMac, macs, version, collection, keys.patchMacKey)
	if (!expected.equals(Buffer.from(patch.patchMac))) throw new AppStatePatchError(`patch MAC does not verify (collection ${collection}, version ${version})`)
	return mutations.map(m => {
		const record = m.record
		const blob = Buffer.from(record?.value?.blob ?? new Uint8Array())
		const keyId = record?.keyId?.id
		if (!record?.index?.blob || blob.length < 48 || !keyId) throw new AppStatePatchError('incomplete mutation record')
		const operation = m.operation ?? SET
		const encrypted = blob.subarray(0, -32)
		if (!valueMac(operation, encrypted, keyId, keys.valueMacKey).equals(blob.subarray(-32))) throw new AppStatePatchError('value MAC does not verify')
		const plain = aesCbcDecrypt(encrypted.subarray(16), keys.valueEncryptionKey, encrypted.subarray(0, 16))
		const data = proto.SyncActionData.decode(plain)
		const index = Buffer.from(data.index ?? new Uint8Array())
		if (!hmacSha256(index, keys.indexKey).equals(Buffer.from(record.index.blob))) throw new AppStatePatchError('index MAC does not verify')
		const parsed: unknown = JSON.parse(index.toString('utf8'))
		if (!Array.isArray(parsed) || !parsed.every(p => typeof p === 'string')) throw new AppStatePatchError('index is not a JSON array of strings')
		return { operation: operation === SET ? 'set' : 'remove', index: parsed, value: data.value ?? {}, apiVersion: data.version ?? 0, indexMac: Buffer.from(record.index.blob), valueMac: blob.subarray(-32) }
	})
}
