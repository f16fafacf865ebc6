import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import pino from 'pino'
import WebSocket from 'ws'
import { randomKeyPair } from '../../emulator/crypto.js'
import { restoreWhatsAppRoot, trustEmulatorRoot } from '../../emulator/client-trust.js'
import type { Emulator } from '../../emulator/index.js'
import { connect, endSocket, linkByQr, type LinkedClient, memoryAuth, startTestEmulator, waitForClose, waitForQr } from './helpers.js'

/** a pino logger that keeps warn+ lines in memory */
function memoryLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
	const lines: Array<Record<string, unknown>> = []
	const stream = new Writable({
		write(chunk: Buffer, _enc, cb) {
			for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
			cb()
		}
	})
	return { logger: pino({ level: 'warn' }, stream), lines }
}

function rawClient(emu: Emulator): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(emu.wsUrl)
		ws.once('open', () => resolve(ws))
		ws.once('error', reject)
	})
}

function closedWithin(ws: WebSocket, ms = 3000): Promise<boolean> {
	return new Promise(resolve => {
		if (ws.readyState === WebSocket.CLOSED) return resolve(true)
		const timer = setTimeout(() => resolve(false), ms)
		ws.once('close', () => {
			clearTimeout(timer)
			resolve(true)
		})
	})
}

describe('robustness and trust', () => {
	let emu: Emulator
	let untrust: () => void
	const log = memoryLogger()
	let client: LinkedClient
	before(async () => {
		;({ emu, untrust } = await startTestEmulator({ logger: log.logger }))
		client = await linkByQr(emu)
	})
	after(async () => {
		await endSocket(client.sock)
		await emu.stop()
		untrust()
	})

	test('garbage from raw websocket clients closes only that connection, with a logged reason', async () => {
		let clientClosed = false
		client.sock.ev.on('connection.update', u => {
			if (u.connection === 'close') clientClosed = true
		})
		const cases: Array<{ name: string; data: Buffer | string; reason: RegExp }> = [
			{ name: 'no WA header', data: Buffer.from('GET / HTTP/1.1\r\n\r\n'), reason: /bad intro header/ },
			{ name: 'junk handshake', data: Buffer.concat([Buffer.from([87, 65, 6, 3, 0, 0, 5]), Buffer.from('junk!')]), reason: /HandshakeMessage|ephemeral/ },
			{ name: 'text frame', data: 'hello', reason: /text websocket message/ },
			{ name: 'empty frame', data: Buffer.from([87, 65, 6, 3, 0, 0, 0]), reason: /empty frame/ }
		]
		for (const c of cases) {
			const before = log.lines.length
			const ws = await rawClient(emu)
			ws.send(c.data)
			assert.equal(await closedWithin(ws), true, `${c.name}: connection closed`)
			const logged = log.lines.slice(before).find(l => l.msg === 'closing connection: bad client input')
			assert.ok(logged, `${c.name}: a reason was logged`)
			assert.match(String(logged.reason), c.reason, c.name)
		}
		// the Baileys client was not disturbed and still gets answers
		const result = await client.sock.onWhatsApp('15550002001')
		assert.deepEqual(result, [{ jid: '15550002001@s.whatsapp.net', exists: true }])
		assert.equal(clientClosed, false)
		assert.equal(emu.control.devices().find(d => d.jid === client.auth.creds.me!.id)?.online, true)
	})

	test('a frame that decrypts but holds no binary node closes only that client, with a logged reason', async () => {
		const other = await linkByQr(emu)
		const closed = waitForClose(other.sock)
		const before = log.lines.length
		// Encrypted with the session's Noise keys, so it passes transport decryption: only the node decoder can refuse it.
		await other.sock.sendRawMessage(Buffer.from([0x00, 0xf8, 0xff, 0xff, 0x01]))
		await closed
		const logged = log.lines.slice(before).find(l => l.msg === 'closing connection: bad client input')
		assert.ok(logged, 'a reason was logged')
		assert.match(String(logged.reason), /undecodable frame/)
		// the first client still gets answers
		const result = await client.sock.onWhatsApp('15550002001')
		assert.deepEqual(result, [{ jid: '15550002001@s.whatsapp.net', exists: true }])
	})

	test('keepalive pings and unknown iqs are answered at once', async () => {
		const t0 = Date.now()
		const pong = await client.sock.query({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' }, content: [{ tag: 'ping', attrs: {} }] })
		assert.equal(pong.attrs.type, 'result')
		const unknown = await client.sock.query({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'x:not-a-namespace' }, content: [{ tag: 'whatever', attrs: {} }] })
		assert.equal(unknown.attrs.type, 'result')
		assert.ok(Date.now() - t0 < 2000)
	})

	test('a wrong trusted root key makes the handshake fail', async () => {
		trustEmulatorRoot(randomKeyPair().pub)
		try {
			const sock = connect(emu, memoryAuth())
			const closed = await waitForClose(sock)
			assert.equal(closed.statusCode, 400)
			assert.match(closed.message ?? '', /intermediate certificate signature invalid/)
		} finally {
			trustEmulatorRoot(emu.rootPublicKey)
		}
	})

	test("stock Baileys (signature results ignored) accepts any root: documents why trustEmulatorRoot enforces signatures", async () => {
		restoreWhatsAppRoot()
		trustEmulatorRoot(randomKeyPair().pub, { enforceSignatures: false })
		try {
			const sock = connect(emu, memoryAuth())
			await waitForQr(sock)
			await endSocket(sock)
		} finally {
			restoreWhatsAppRoot()
			trustEmulatorRoot(emu.rootPublicKey)
		}
	})

	test('the real client reaches the emulator with the right root', async () => {
		const sock = connect(emu, memoryAuth())
		await waitForQr(sock)
		await endSocket(sock)
	})
})
