/**
 * Login of a registered (linked) device, delivery of what queued while it was offline, and unlinking
 * (client logout via remove-companion-device, or the phone removing the device).
 */
import { type BinaryNode, child, IqError, lidJid, node, parseJid, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import type { LinkedDevice } from '../world/types.js'

export async function login(ctx: EmulatorContext, conn: ClientConnection): Promise<void> {
	const payload = conn.payload!
	const phone = String(payload.username)
	const deviceId = payload.device ?? 0
	const account = ctx.world.getByPhone(phone)
	const device = account?.devices.get(deviceId)
	const reject = (why: string): void => {
		conn.logger.info({ phone, deviceId, why }, 'login refused (401)')
		conn.close(`login refused: ${why}`, node('failure', { reason: 401, location: 'emulator' }))
	}
	if (!account || !device) return reject('unknown device')
	if (device.state !== 'linked') return reject('device was removed')
	if (!conn.clientStatic || !device.noisePub.equals(conn.clientStatic)) return reject('noise key does not match the linked device')
	const previous = device.connection
	if (previous && previous !== conn) {
		previous.close('replaced by a new connection', node('stream:error', {}, [node('conflict', { type: 'replaced' })]))
	}
	device.connection = conn
	device.lastLoginAt = Date.now()
	if (payload.pushName) device.pushName = payload.pushName
	conn.device = device
	conn.loggedIn = true
	conn.logger.info({ phone, deviceId }, 'device logged in')
	conn.send(
		node('success', {
			t: unixNow(),
			lid: lidJid(account.lid, deviceId),
			location: 'emu',
			creation: Math.floor(device.pairedAt / 1000),
			props: 1,
			abprops: 1
		})
	)
	flushOffline(device, conn)
}

/** sends what queued while the device was offline, then the <ib><offline count/></ib> marker */
export function flushOffline(device: LinkedDevice, conn: ClientConnection): void {
	const queued = device.offline.splice(0)
	for (const stanza of queued) {
		stanza.attrs.offline = '1'
		conn.send(stanza)
	}
	conn.send(node('ib', {}, [node('offline', { count: queued.length })]))
}

/** delivers a stanza to a linked device now, or queues it until it logs in */
export function deliver(device: LinkedDevice, stanza: BinaryNode): void {
	if (device.state !== 'linked') return
	if (device.connection?.ready) {
		device.connection.send(stanza)
	} else {
		device.offline.push(stanza)
		if (device.offline.length > 5000) device.offline.shift()
	}
}

/** phone-side unlink: the device is removed and its live connection gets a 401 stream error */
export function unlinkDevice(ctx: EmulatorContext, device: LinkedDevice, reason = 'removed from phone'): void {
	ctx.world.removeDevice(device)
	const conn = device.connection
	device.connection = undefined
	conn?.close(reason, node('stream:error', { code: 401 }, [node('conflict', { type: 'device_removed' })]))
	notifyDeviceListChange(ctx, device, 'remove')
	ctx.logger.info({ phone: device.account.phone, device: device.id, reason }, 'device unlinked')
}

/** tells the account's other linked devices that its device list changed */
export function notifyDeviceListChange(ctx: EmulatorContext, changed: LinkedDevice, action: 'add' | 'remove'): void {
	for (const other of ctx.world.linkedDevices(changed.account)) {
		if (other === changed || !other.connection?.ready) continue
		other.connection.send(
			node('notification', { from: `${changed.account.phone}@s.whatsapp.net`, type: 'devices', id: `dev-${Date.now()}-${changed.id}`, t: unixNow() }, [
				node(action, {}, [node('device', { jid: `${changed.account.phone}:${changed.id}@s.whatsapp.net` })])
			])
		)
	}
}

/** iq md <remove-companion-device jid reason/> sent by Baileys' logout() */
export function removeCompanionIq(ctx: EmulatorContext, conn: ClientConnection, iq: BinaryNode): BinaryNode[] {
	const req = child(iq, 'remove-companion-device')!
	const target = parseJid(req.attrs.jid)
	const account = conn.device?.account
	if (!account || !target || target.user !== account.phone) throw new IqError(403, 'not your device')
	const device = account.devices.get(target.device)
	if (!device) throw new IqError(404, 'no such device')
	ctx.world.removeDevice(device)
	if (device.connection && device.connection !== conn) {
		device.connection.close('logged out', node('stream:error', { code: 401 }, [node('conflict', { type: 'device_removed' })]))
	}
	device.connection = undefined
	notifyDeviceListChange(ctx, device, 'remove')
	ctx.logger.info({ phone: account.phone, device: device.id, reason: req.attrs.reason }, 'device logged out by client')
	// the client closes the socket itself after the iq
	setTimeout(() => conn.close('logged out'), 2000).unref()
	return []
}
