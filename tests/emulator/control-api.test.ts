import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Emulator } from '../../emulator/index.js'
import { connect, endSocket, memoryAuth, startTestEmulator, waitForClose, waitForOnline, waitForOpen, waitForQr } from './helpers.js'

async function call(emu: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
	const res = await fetch(`${emu.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : undefined, body: body ? JSON.stringify(body) : undefined })
	return { status: res.status, json: await res.json() }
}

describe('HTTP control API', () => {
	let emu: Emulator
	let untrust: () => void
	before(async () => {
		;({ emu, untrust } = await startTestEmulator({ seed: 'control-api-test' }))
	})
	after(async () => {
		await emu.stop()
		untrust()
	})

	test('accounts, QR scan, send, wait for messages, devices and errors over HTTP', async () => {
		const created = await call(emu, 'POST', '/control/accounts', { phone: '+4915112345678', name: 'Dora', echo: true })
		assert.equal(created.status, 200)
		assert.equal((created.json as { phone: string }).phone, '4915112345678')
		assert.equal((await call(emu, 'POST', '/control/accounts', { phone: '4915112345678' })).status, 409)
		assert.equal((await call(emu, 'POST', '/control/accounts', { phone: 'x' })).status, 400)
		assert.equal((await call(emu, 'GET', '/control/accounts/123')).status, 404)
		assert.equal((await call(emu, 'GET', '/control/nope')).status, 404)

		const auth = memoryAuth()
		const sock = connect(emu, auth)
		const qr = await waitForQr(sock)
		const pending = (await call(emu, 'GET', '/control/pairing/qr')).json as Array<{ refs: string[] }>
		assert.equal(pending.length, 1)
		const closed = waitForClose(sock)
		const scanned = await call(emu, 'POST', '/control/pairing/qr/scan', { qr, phone: '4915112345678' })
		assert.equal(scanned.status, 200)
		assert.equal((await closed).statusCode, 515)
		const client = connect(emu, auth)
		await Promise.all([waitForOpen(client), waitForOnline(client)])

		const devices = (await call(emu, 'GET', '/control/devices')).json as Array<{ jid: string; online: boolean }>
		assert.equal(devices.length, 1)
		assert.equal(devices[0]!.online, true)

		const incoming = new Promise<string>(resolve =>
			client.ev.on('messages.upsert', u => {
				const t = u.messages[0]?.message?.conversation
				if (t) resolve(t)
			})
		)
		const sent = await call(emu, 'POST', '/control/accounts/15550002001/send', { to: '4915112345678', text: 'over http' })
		assert.equal(sent.status, 200)
		assert.equal(await incoming, 'over http')

		const waiting = call(emu, 'GET', '/control/accounts/15550002001/messages?wait=5000&count=1')
		await client.sendMessage('15550002001@s.whatsapp.net', { text: 'reply over ws' })
		const msgs = (await waiting).json as Array<{ text: string; fromPhone: string }>
		assert.equal(msgs[0]!.text, 'reply over ws')
		assert.equal(msgs[0]!.fromPhone, '4915112345678')

		const stats = (await call(emu, 'GET', '/control/stats')).json as { clientMessages: number; phoneEncrypts: number }
		assert.ok(stats.clientMessages >= 1 && stats.phoneEncrypts >= 1)

		const closing = waitForClose(client)
		const unlinked = await call(emu, 'DELETE', `/control/devices/${encodeURIComponent(devices[0]!.jid)}`)
		assert.equal((unlinked.json as { state: string }).state, 'removed')
		assert.equal((await closing).statusCode, 401)
		assert.equal((await call(emu, 'POST', '/control/reset')).status, 200)
		assert.equal((await call(emu, 'GET', '/control/accounts/4915112345678')).status, 404)
		await endSocket(client)
	})
})
