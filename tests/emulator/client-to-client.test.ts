import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { proto, type WAMessage } from 'baileys'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, endSocket, linkByQr, type LinkedClient, OWNER_PHONE, startTestEmulator, waitForEvent, waitForStatus } from './helpers.js'

const jid = (phone: string): string => `${phone}@s.whatsapp.net`
const textOf = (m: WAMessage): string | undefined => m.message?.conversation ?? m.message?.extendedTextMessage?.text ?? undefined

describe('two linked clients on different accounts', () => {
	let emu: Emulator
	let untrust: () => void
	let a: LinkedClient
	let b: LinkedClient
	before(async () => {
		;({ emu, untrust } = await startTestEmulator())
		a = await linkByQr(emu, OWNER_PHONE)
		b = await linkByQr(emu, ALICE)
	})
	after(async () => {
		await endSocket(a.sock)
		await endSocket(b.sock)
		await emu.stop()
		untrust()
	})

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
