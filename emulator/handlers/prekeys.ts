/**
 * iq xmlns="encrypt": pre-key count, upload, digest, signed pre-key rotation, and bundle fetch for any
 * device (linked devices hand out what they uploaded; emulated phones mint keys on demand).
 */
import { type BinaryNode, child, childBytes, children, IqError, node, uintFromBytes, uintToBytes } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import type { LinkedDevice } from '../world/types.js'

const KEY_TYPE = Buffer.from([5])

export interface DeviceBundle {
	registrationId: number
	identity: Buffer
	signedPreKey: { keyId: number; pub: Buffer; signature: Buffer }
	preKey?: { keyId: number; pub: Buffer }
}

/** takes one one-time pre-key from what a linked device uploaded (lowest id first) */
export function takeLinkedBundle(device: LinkedDevice): DeviceBundle {
	let preKey: DeviceBundle['preKey']
	const first = device.preKeys.keys().next()
	if (!first.done) {
		const keyId = first.value
		preKey = { keyId, pub: device.preKeys.get(keyId)! }
		device.preKeys.delete(keyId)
	}
	return { registrationId: device.registrationId, identity: device.identityPub, signedPreKey: device.signedPreKey, preKey }
}

export function encryptIq(ctx: EmulatorContext, conn: ClientConnection, iq: BinaryNode): BinaryNode[] {
	const device = conn.device
	if (!device) throw new IqError(401, 'not-authorized')
	if (child(iq, 'count')) return [node('count', { value: device.preKeys.size })]
	if (child(iq, 'digest')) return [digest(device)]
	if (child(iq, 'rotate')) {
		device.signedPreKey = readSignedPreKey(child(child(iq, 'rotate'), 'skey'))
		return []
	}
	if (child(iq, 'key')) return [fetchBundles(ctx, child(iq, 'key')!)]
	if (child(iq, 'list') || child(iq, 'skey')) {
		upload(device, iq)
		return []
	}
	throw new IqError(400, 'bad-request')
}

function upload(device: LinkedDevice, iq: BinaryNode): void {
	const identity = childBytes(iq, 'identity')
	if (identity && !identity.equals(device.identityPub)) throw new IqError(406, 'identity key differs from the linked identity')
	const reg = uintFromBytes(childBytes(iq, 'registration'))
	if (reg !== undefined) device.registrationId = reg
	for (const key of children(child(iq, 'list'), 'key')) {
		const id = uintFromBytes(childBytes(key, 'id'))
		const value = childBytes(key, 'value')
		if (id === undefined || !value || value.length !== 32) throw new IqError(400, 'bad pre-key')
		device.preKeys.set(id, value)
	}
	const skey = child(iq, 'skey')
	if (skey) device.signedPreKey = readSignedPreKey(skey)
}

function readSignedPreKey(skey: BinaryNode | undefined): LinkedDevice['signedPreKey'] {
	const keyId = uintFromBytes(childBytes(skey, 'id'))
	const pub = childBytes(skey, 'value')
	const signature = childBytes(skey, 'signature')
	if (keyId === undefined || !pub || pub.length !== 32 || !signature) throw new IqError(400, 'bad signed pre-key')
	return { keyId, pub, signature }
}

function digest(device: LinkedDevice): BinaryNode {
	return node('digest', {}, [
		node('registration', {}, uintToBytes(device.registrationId, 4)),
		node('type', {}, KEY_TYPE),
		node('identity', {}, device.identityPub),
		node('skey', {}, [node('id', {}, uintToBytes(device.signedPreKey.keyId, 3)), node('value', {}, device.signedPreKey.pub), node('signature', {}, device.signedPreKey.signature)]),
		node('list', {}, [...device.preKeys.keys()].slice(0, 1000).map(id => node('id', {}, uintToBytes(id, 3))))
	])
}

export function bundleNode(jid: string, b: DeviceBundle): BinaryNode {
	const content: BinaryNode[] = [
		node('registration', {}, uintToBytes(b.registrationId, 4)),
		node('type', {}, KEY_TYPE),
		node('identity', {}, b.identity),
		node('skey', {}, [node('id', {}, uintToBytes(b.signedPreKey.keyId, 3)), node('value', {}, b.signedPreKey.pub), node('signature', {}, b.signedPreKey.signature)])
	]
	if (b.preKey) content.push(node('key', {}, [node('id', {}, uintToBytes(b.preKey.keyId, 3)), node('value', {}, b.preKey.pub)]))
	return node('user', { jid }, content)
}

/** bundle of any device jid, or undefined if unknown */
export function bundleFor(ctx: EmulatorContext, jid: string): DeviceBundle | undefined {
	const r = ctx.world.resolveJid(jid)
	if (!r) return undefined
	if (r.device === 0) {
		const b = r.account.primary.takeBundle()
		return {
			registrationId: b.registrationId,
			identity: b.identity,
			signedPreKey: { keyId: b.signedPreKey.keyId, pub: b.signedPreKey.keyPair.pub, signature: b.signedPreKey.signature },
			preKey: b.preKey
		}
	}
	const device = r.account.devices.get(r.device)
	return device && device.state === 'linked' ? takeLinkedBundle(device) : undefined
}

function fetchBundles(ctx: EmulatorContext, key: BinaryNode): BinaryNode {
	const users = children(key, 'user').map(u => {
		const jid = u.attrs.jid ?? ''
		const b = bundleFor(ctx, jid)
		if (!b) ctx.logger.info({ jid }, 'pre-key bundle requested for an unknown device')
		return b ? bundleNode(jid, b) : node('user', { jid }, [node('error', { code: 404, text: 'item-not-found' })])
	})
	return node('list', {}, users)
}
