/**
 * App-state sync (`w:sync:app:state`): devices resync collections (the server answers each with its
 * version and the patches after the device's version) and push patches (pin, archive, mute, mark
 * read/unread, delete chat…), which the emulated phone decrypts with the account's app-state sync key
 * and records. That key reaches a device the way WhatsApp does it: right after linking, the phone sends
 * it a protocolMessage APP_STATE_SYNC_KEY_SHARE (Baileys needs it before `chatModify` works).
 */
import { proto } from 'baileys'
import { type BinaryNode, bytes, child, children, IqError, node, pnJid, unixNow } from '../binary.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { encryptForDevice, senderAttrs } from '../phone.js'
import { newMessageId } from '../util.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { AppStatePatchError, decodePatch, mutationKeys } from '../appstate/codec.js'
import { type AppStateMutation, appStateOf, collectionOf, mixPatch, patchesAfter, recordMutations, storePatch } from '../appstate/store.js'
import { deliver } from './login.js'

/** the phone shares the account's app-state sync key with one of its linked devices */
export async function shareAppStateKey(ctx: EmulatorContext, device: LinkedDevice): Promise<void> {
	const account = device.account
	const { key } = appStateOf(account)
	const message: proto.IMessage = {
		protocolMessage: {
			type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
			appStateSyncKeyShare: {
				keys: [
					{
						keyId: { keyId: key.keyId },
						keyData: { keyData: key.keyData, timestamp: key.timestamp, fingerprint: { rawId: 1, currentIndex: 0, deviceIndexes: [0, device.keyIndex] } }
					}
				]
			}
		}
	}
	const { type, ciphertext } = await encryptForDevice(account, device, message)
	ctx.stats.phoneEncrypts++
	deliver(device, node('message', { ...senderAttrs(account, 'pn'), id: newMessageId(), t: unixNow(), type: 'text' }, [node('enc', { v: 2, type }, ciphertext)]))
	ctx.logger.debug({ phone: account.phone, device: device.id }, 'app-state sync key shared with a linked device')
}

/** settings the phone takes over from a synced mutation: the push name (what contacts see as `notify`) */
function applyAccountSettings(account: Account, mutations: AppStateMutation[]): void {
	for (const m of mutations) {
		if (m.action !== 'setting_pushName' || m.operation !== 'set' || typeof m.value.name !== 'string' || !m.value.name) continue
		account.name = m.value.name
		for (const d of account.devices.values()) d.pushName = m.value.name
	}
}

function applyPatch(ctx: EmulatorContext, device: LinkedDevice, name: string, base: number, raw: Buffer): number {
	const state = appStateOf(device.account)
	const collection = collectionOf(state, name)
	if (base < collection.version) throw new IqError(409, 'conflict')
	if (state.conflictsToInject > 0) {
		state.conflictsToInject--
		ctx.logger.info({ phone: device.account.phone, collection: name }, 'app-state patch refused with an injected conflict')
		throw new IqError(409, 'conflict')
	}
	const patch = proto.SyncdPatch.decode(raw)
	const keyId = patch.keyId?.id ? Buffer.from(patch.keyId.id) : undefined
	if (!keyId?.equals(state.key.keyId)) throw new IqError(400, 'bad-request')
	const version = base + 1
	try {
		const decoded = decodePatch(patch, name, version, mutationKeys(state.key.keyData))
		mixPatch(collection, decoded)
		const added = recordMutations(state, name, version, pnJid(device.account.phone, device.id), decoded)
		applyAccountSettings(device.account, added)
		ctx.logger.info({ phone: device.account.phone, collection: name, version, mutations: added.map(m => `${m.action} ${m.chat ?? ''}`) }, 'app-state patch applied')
	} catch (err) {
		if (err instanceof AppStatePatchError) {
			ctx.logger.warn({ err: err.message, collection: name }, 'app-state patch rejected')
			throw new IqError(400, 'bad-request')
		}
		throw err
	}
	storePatch(collection, patch, version)
	return version
}

function collectionReply(device: LinkedDevice, req: BinaryNode): BinaryNode {
	const name = req.attrs.name ?? ''
	const base = Number(req.attrs.version ?? 0) || 0
	const collection = collectionOf(appStateOf(device.account), name)
	const patches = patchesAfter(collection, base)
	const version = Math.max(collection.version, base)
	return node('collection', { name, version, has_more_patches: 'false' }, patches.length ? [node('patches', {}, patches.map(p => node('patch', {}, p)))] : undefined)
}

/** the account's other linked devices are told a collection moved on (`server_sync`), so they resync it */
export function notifyServerSync(from: LinkedDevice | Account, name: string, version: number): void {
	const account = 'account' in from ? from.account : from
	for (const other of account.devices.values()) {
		if (other === from || other.state !== 'linked') continue
		deliver(other, node('notification', { from: pnJid(account.phone), type: 'server_sync', id: newMessageId(), t: unixNow() }, [node('collection', { name, version })]))
	}
}

export const appStateIq: IqHandler = (ctx, conn, iq) => {
	const device = conn.device
	if (!device) throw new IqError(401, 'not-authorized')
	const sync = child(iq, 'sync')
	if (!sync) throw new IqError(400, 'bad-request')
	const replies = children(sync, 'collection').map(req => {
		const name = req.attrs.name
		if (!name) throw new IqError(400, 'bad-request')
		const patch = bytes(child(req, 'patch'))
		if (!patch) return collectionReply(device, req)
		const version = applyPatch(ctx, device, name, Number(req.attrs.version ?? 0) || 0, patch)
		notifyServerSync(device, name, version)
		return node('collection', { name, version })
	})
	return [node('sync', {}, replies)]
}

/** registers the iq handler and key sharing with newly linked devices */
export function installAppState(ctx: EmulatorContext): void {
	ctx.iq.set('w:sync:app:state', appStateIq)
	ctx.world.on('deviceLinked', device => {
		const share = () =>
			shareAppStateKey(ctx, device).catch((err: unknown) => ctx.logger.error({ err, phone: device.account.phone, device: device.id }, 'could not share the app-state key'))
		if (ctx.options.appStateKeyDelayMs > 0) setTimeout(share, ctx.options.appStateKeyDelayMs).unref()
		else void share()
	})
}
