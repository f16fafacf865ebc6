/**
 * App-state patches the phone itself makes (a label edited on the phone, …): each mutation's
 * SyncActionData encrypted with the account's app-state key (AES-256-CBC, IV first), its value and
 * index MACs, and the patch's snapshot and patch MACs over the collection's integrity hash.
 */
import { proto } from 'baileys'
import { aesCbcEncrypt, hmacSha256, randomBytes } from '../crypto.js'
import { type MutationKeys, mutationKeys, patchMac, valueMac } from './codec.js'
import { mixMutation, snapshotMac, type IntegrityState } from './lthash.js'

export interface PhoneMutation {
	operation: 'set' | 'remove'
	index: string[]
	value: proto.ISyncActionValue
	apiVersion: number
}

const OP = proto.SyncdMutation.SyncdOperation

function encodeMutation(m: PhoneMutation, keyId: Buffer, keys: MutationKeys): { mutation: proto.ISyncdMutation; indexMac: Buffer; valueMac: Buffer } {
	const index = Buffer.from(JSON.stringify(m.index))
	const data = proto.SyncActionData.encode({ index, value: m.value, padding: new Uint8Array(0), version: m.apiVersion }).finish()
	const iv = randomBytes(16)
	const encrypted = Buffer.concat([iv, aesCbcEncrypt(data, keys.valueEncryptionKey, iv)])
	const operation = m.operation === 'set' ? OP.SET : OP.REMOVE
	const mac = valueMac(operation, encrypted, keyId, keys.valueMacKey)
	const indexMac = hmacSha256(index, keys.indexKey)
	return {
		mutation: { operation, record: { index: { blob: indexMac }, value: { blob: Buffer.concat([encrypted, mac]) }, keyId: { id: keyId } } },
		indexMac,
		valueMac: mac
	}
}

/** builds the collection's next patch (at `version`) and moves its integrity hash on */
export function encodePhonePatch(collection: string, version: number, mutations: PhoneMutation[], key: { keyId: Buffer; keyData: Buffer }, integrity: IntegrityState): proto.ISyncdPatch {
	const keys = mutationKeys(key.keyData)
	const encoded = mutations.map(m => encodeMutation(m, key.keyId, keys))
	mutations.forEach((m, i) => mixMutation(integrity, { operation: m.operation, indexMac: encoded[i]!.indexMac, valueMac: encoded[i]!.valueMac }))
	const snapshot = snapshotMac(integrity, version, collection, keys.snapshotMacKey)
	return {
		version: { version },
		mutations: encoded.map(e => e.mutation),
		keyId: { id: key.keyId },
		snapshotMac: snapshot,
		patchMac: patchMac(snapshot, encoded.map(e => e.valueMac), version, collection, keys.patchMacKey)
	}
}
