/**
 * Completing a device link, shared by QR and pairing-code flows: the emulated phone signs the new
 * device's identity (ADV), sends <pair-success>, checks <pair-device-sign>, then asks the client to
 * restart with <stream:error code="515"/>.
 */
import { randomBytes } from 'node:crypto'
import { proto } from 'baileys'
import { type BinaryNode, child, bytes, lidJid, node, pnJid, S_WHATSAPP_NET, uintFromBytes, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import { hmacSha256, randomKeyPair, sign, verify } from '../crypto.js'
import type { Account, LinkedDevice } from '../world/types.js'

const ACCOUNT_SIG_PREFIX = Buffer.from([6, 0])
const DEVICE_SIG_PREFIX = Buffer.from([6, 1])

export class LinkError extends Error {
	override name = 'LinkError'
}

/** the registration data a new client sent in its ClientPayload */
export interface RegistrationData {
	registrationId: number
	identityPub: Buffer
	signedPreKey: { keyId: number; pub: Buffer; signature: Buffer }
	platform: string
}

export function readRegistration(conn: ClientConnection): RegistrationData {
	const d = conn.payload?.devicePairingData
	if (!d?.eIdent || !d.eSkeyVal || !d.eSkeySig || !d.eRegid || !d.eSkeyId) {
		throw new LinkError('client payload has incomplete devicePairingData')
	}
	let platform = 'web'
	if (d.deviceProps?.length) {
		const props = proto.DeviceProps.decode(d.deviceProps)
		platform = props.os ?? platform
	}
	return {
		registrationId: uintFromBytes(d.eRegid) ?? 0,
		identityPub: Buffer.from(d.eIdent),
		signedPreKey: { keyId: uintFromBytes(d.eSkeyId) ?? 0, pub: Buffer.from(d.eSkeyVal), signature: Buffer.from(d.eSkeySig) },
		platform
	}
}

/**
 * Links the unregistered client on `conn` to `account`. `advSecret` is the secret the client shared
 * (QR code or derived during code pairing). Resolves with the new device after the client signed.
 */
export async function completeLink(
	ctx: EmulatorContext,
	conn: ClientConnection,
	account: Account,
	advSecret: Buffer,
	platformName = 'android'
): Promise<LinkedDevice> {
	if (!conn.isOpen || conn.loggedIn) throw new LinkError('connection is not waiting for a link')
	const reg = readRegistration(conn)
	const deviceId = account.nextDeviceId++
	const keyIndex = account.nextKeyIndex++
	const details = Buffer.from(
		proto.ADVDeviceIdentity.encode({ rawId: randomBytes(4).readUInt32BE(0), timestamp: unixNow(), keyIndex }).finish()
	)
	// an impostor cannot sign with the account's key: the forged-link option signs with another one
	const signer = ctx.options.wrongAccountSignatureKey ? randomKeyPair().priv : account.identity.priv
	const accountSignature = sign(signer, Buffer.concat([ACCOUNT_SIG_PREFIX, details, reg.identityPub]))
	const signedIdentity = Buffer.from(
		proto.ADVSignedDeviceIdentity.encode({ details, accountSignatureKey: account.identity.pub, accountSignature }).finish()
	)
	const hmac = hmacSha256(signedIdentity, advSecret)
	const identityHmac = proto.ADVSignedDeviceIdentityHMAC.encode({ details: signedIdentity, hmac }).finish()
	const reply = await conn.request(
		node('iq', { from: S_WHATSAPP_NET, type: 'set', id: conn.nextTag() }, [
			node('pair-success', {}, [
				node('device-identity', {}, identityHmac),
				node('platform', { name: platformName }),
				node('device', { jid: pnJid(account.phone, deviceId), lid: lidJid(account.lid, deviceId) }),
				// Baileys takes creds.me.name from here (WhatsApp sends it later through app-state sync, which the
				// emulator does not implement); without a name Baileys skips presence updates
				node('biz', { name: account.name })
			])
		])
	)
	const deviceSignature = checkPairDeviceSign(reply, details, reg.identityPub, account)
	const device: LinkedDevice = {
		account,
		id: deviceId,
		keyIndex,
		noisePub: conn.clientStatic!,
		identityPub: reg.identityPub,
		registrationId: reg.registrationId,
		signedPreKey: reg.signedPreKey,
		preKeys: new Map(),
		platform: reg.platform,
		pushName: conn.payload?.pushName ?? undefined,
		state: 'linked',
		pairedAt: Date.now(),
		signedIdentity,
		deviceSignature,
		offline: []
	}
	ctx.world.addDevice(device)
	ctx.logger.info({ phone: account.phone, device: deviceId, platform: reg.platform }, 'device linked')
	conn.close('pairing complete, restart required', node('stream:error', { code: 515 }))
	return device
}

function checkPairDeviceSign(reply: BinaryNode, details: Buffer, identityPub: Buffer, account: Account): Buffer {
	if (reply.attrs.type !== 'result') {
		throw new LinkError(`client rejected pair-success: ${JSON.stringify(child(reply, 'error')?.attrs ?? reply.attrs)}`)
	}
	const signed = bytes(child(child(reply, 'pair-device-sign'), 'device-identity'))
	if (!signed) throw new LinkError('pair-device-sign without device-identity')
	const identity = proto.ADVSignedDeviceIdentity.decode(signed)
	if (!identity.deviceSignature || !identity.details || !Buffer.from(identity.details).equals(details)) {
		throw new LinkError('pair-device-sign does not match the issued identity')
	}
	const msg = Buffer.concat([DEVICE_SIG_PREFIX, details, identityPub, account.identity.pub])
	if (!verify(identityPub, msg, identity.deviceSignature)) {
		throw new LinkError('invalid device signature in pair-device-sign')
	}
	return Buffer.from(identity.deviceSignature)
}
