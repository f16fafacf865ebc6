import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { proto } from 'baileys'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, endSocket, type LinkedClient, OWNER_PHONE, waitForEvent, waitForStatus, startLinked, jid, textOf } from './helpers.js'

describe('two linked clients on different accounts', () => {
	let emu: Emulator
	let a: LinkedClient, b: LinkedClient
	let stop: () => Promise<void>
	before(async () => {
		;({ emu, clients: [a, b], stop } = await startLinked([OWNER_PHONE, ALICE]))
	})
	after(() => stop?.())

	test('messages are routed between linked devices both ways, with receipts', async () => {
		const atB = waitForEvent(b.sock, 'messages.upsert', u => u.messages.some(m => textOf(m) === 'hi B'))
		const sent = await a.sock.sendMessage(jid(ALICE), { text: 'hi B' })
		const got = (await atB).messages.find(m => textOf(m) === 'hi B')!
		assert.equal(got.key.id, sent!.key.id)
		assert.equal(got.key.fromMe, false)
		// Alice's phone also received it
		await emu.control.waitForReceived(ALICE, { predicate: m => m.id === sent!.key.id })

		const read = waitForStatus(a, sent!.key.id!, proto.WebMessageInfo.Status.READ)
		await b.sock.readMessages([got.key])
		assert.equal(await read, proto.WebMessageInfo.Status.READ)

		const atA = waitForEvent(a.sock, 'messages.upsert', u => u.messages.some(m => textOf(m) === 'hi A'))
		await b.sock.sendMessage(jid(OWNER_PHONE), { text: 'hi A' })
		const back = (await atA).messages.find(m => textOf(m) === 'hi A')!
		assert.equal(back.key.remoteJid, jid(ALICE))
	})

	test('messages to an offline device are delivered when it logs in again', async () => {
		const auth = b.auth
		await endSocket(b.sock)
		const sent = await a.sock.sendMessage(jid(ALICE), { text: 'while you were away' })
		const { connect, waitForOpen } = await import('./helpers.js')
		const again = connect(emu, auth)
		const upsert = waitForEvent(again, 'messages.upsert', u => u.messages.some(m => m.key.id === sent!.key.id), 15_000)
		await waitForOpen(again)
		const got = (await upsert).messages.find(m => m.key.id === sent!.key.id)!
		assert.equal(textOf(got), 'while you were away')
		b = { sock: again, auth }
	})
})
