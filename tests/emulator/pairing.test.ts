import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, BOB, connect, endSocket, linkByQr, memoryAuth, OWNER_PHONE, startTestEmulator, until, waitForClose, waitForOnline, waitForOpen, waitForQr } from './helpers.js'

describe('pairing and login', () => {
	let emu: Emulator
	let untrust: () => void
	before(async () => {
		;({ emu, untrust } = await startTestEmulator())
	})
	after(async () => {
		await emu.stop()
		untrust()
	})

	test('link by QR, then reconnect with stored creds without a new QR', async () => {
		const { sock, auth } = await linkByQr(emu)
		const me = auth.creds.me!
		const owner = emu.world.getByPhone(OWNER_PHONE)!
		assert.match(me.id, new RegExp(`^${OWNER_PHONE}:\\d+@s\\.whatsapp\\.net$`))
		assert.equal(me.lid?.split(':')[0], owner.lid)
		assert.equal(me.name, owner.name)
		assert.equal(auth.creds.registered === true || !!auth.creds.account, true)
		const devices = emu.control.devices()
		assert.equal(devices.length, 1)
		assert.equal(devices[0]!.online, true)
		assert.ok(devices[0]!.preKeys > 0, 'client uploaded pre-keys')
		await endSocket(sock)

		const again = connect(emu, auth)
		let sawQr = false
		again.ev.on('connection.update', u => {
			if (u.qr) sawQr = true
		})
		await Promise.all([waitForOpen(again), waitForOnline(again)])
		assert.equal(sawQr, false)
		assert.equal(emu.control.devices()[0]!.online, true)
		await endSocket(again)
	})

	test('link by pairing code', async () => {
		const auth = memoryAuth()
		const sock = connect(emu, auth)
		await waitForQr(sock)
		const code = await sock.requestPairingCode(ALICE)
		assert.equal(code.length, 8)
		const pending = await until(() => emu.control.pendingCodes().length > 0 && emu.control.pendingCodes(), 5000, 'pending code')
		assert.equal(pending.length, 1)
		assert.equal(pending[0]!.phone, ALICE)
		const closed = waitForClose(sock)
		const device = await emu.control.enterCode(code, { phone: ALICE })
		assert.equal(device.phone, ALICE)
		assert.equal((await closed).statusCode, 515)
		assert.equal(auth.creds.me?.id, device.jid)
		const again = connect(emu, auth)
		await Promise.all([waitForOpen(again), waitForOnline(again)])
		assert.equal(emu.control.devices().find(d => d.jid === device.jid)?.online, true)
		await endSocket(again)
	})

	test('a wrong pairing code does not link', async () => {
		const auth = memoryAuth()
		const sock = connect(emu, auth)
		await waitForQr(sock)
		const code = await sock.requestPairingCode(BOB)
		await until(() => emu.control.pendingCodes().some(p => p.phone === BOB), 5000, 'pending code')
		const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`
		await assert.rejects(emu.control.enterCode(wrong, { phone: BOB }), /wrong pairing code/)
		assert.equal(emu.control.devices().filter(d => d.phone === BOB).length, 0)
		await endSocket(sock)
	})

	test('a QR for an unknown ref is refused', async () => {
		await assert.rejects(emu.control.scanQr('https://wa.me/settings/linked_devices#2@nope,AAAA,BBBB,CCCC,1', OWNER_PHONE), /unknown or expired/)
	})

	test('client logout removes the device; its creds can no longer log in (401)', async () => {
		const { sock, auth } = await linkByQr(emu)
		const jid = auth.creds.me!.id
		const closed = waitForClose(sock)
		await sock.logout()
		assert.equal((await closed).statusCode, 401)
		assert.equal(emu.control.devices().find(d => d.jid === jid)?.state, 'removed')
		const again = connect(emu, auth)
		assert.equal((await waitForClose(again)).statusCode, 401)
	})

	test('dropping the connection from the control API: the client sees a close and can log in again', async () => {
		const { sock, auth } = await linkByQr(emu)
		const closed = waitForClose(sock)
		assert.equal(emu.control.disconnect(auth.creds.me!.id), true)
		assert.equal((await closed).statusCode, 428)
		const again = connect(emu, auth)
		await Promise.all([waitForOpen(again), waitForOnline(again)])
		await endSocket(again)
	})

	test('a second connection with the same creds replaces the first (440)', async () => {
		const { sock, auth } = await linkByQr(emu)
		const closed = waitForClose(sock)
		const second = connect(emu, auth)
		await waitForOpen(second)
		assert.equal((await closed).statusCode, 440)
		await endSocket(second)
	})

	test('unlinking from the phone closes the client with 401 (loggedOut)', async () => {
		const { sock, auth } = await linkByQr(emu)
		const closed = waitForClose(sock)
		emu.control.unlink(auth.creds.me!.id)
		assert.equal((await closed).statusCode, 401)
	})

	test('QR refs are offered to a new client and listed by the control API', async () => {
		const auth = memoryAuth()
		const sock = connect(emu, auth)
		const qr = await waitForQr(sock)
		const pending = emu.control.pendingQrs()
		assert.ok(pending.some(p => qr.includes(p.refs[0]!)))
		await endSocket(sock)
	})
})
