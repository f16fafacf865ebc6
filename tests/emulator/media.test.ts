import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { downloadMediaMessage, type WAMessage } from 'baileys'
import { emulatorHttpsAgent } from '../../emulator/client-trust.js'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, type LinkedClient, OWNER_PHONE, silent, waitForEvent, startLinked, jid } from './helpers.js'


describe('media', () => {
	let emu: Emulator
	let client: LinkedClient
	let stop: () => Promise<void>
	before(async () => {
		;({ emu, clients: [client], stop } = await startLinked([OWNER_PHONE], { fetchAgent: emulatorHttpsAgent() }))
	})
	after(() => stop?.())

	test('an image from a contact downloads byte-identical in Baileys', async () => {
		const bytes = randomBytes(70_000)
		const incoming = waitForEvent(client.sock, 'messages.upsert', u => u.messages.some(m => !!m.message?.imageMessage))
		await emu.control.send(ALICE, { to: OWNER_PHONE, media: { kind: 'image', data: bytes, caption: 'a picture' } })
		const msg = (await incoming).messages.find(m => !!m.message?.imageMessage) as WAMessage
		assert.equal(msg.message?.imageMessage?.caption, 'a picture')
		const downloaded = await downloadMediaMessage(msg, 'buffer', {}, { logger: silent, reuploadRequest: client.sock.updateMediaMessage })
		assert.equal(Buffer.compare(downloaded, bytes), 0)
	})

	test('a document and an image uploaded by the client are decrypted byte-identical by the contact', async () => {
		const doc = randomBytes(123_457)
		const sent = await client.sock.sendMessage(jid(ALICE), { document: doc, mimetype: 'application/pdf', fileName: 'report.pdf' })
		await emu.control.waitForReceived(ALICE, { predicate: m => m.id === sent!.key.id })
		const got = await emu.control.receivedMedia(ALICE, sent!.key.id!)
		assert.equal(got.mimetype, 'application/pdf')
		assert.equal(Buffer.compare(got.data, doc), 0)

		const img = randomBytes(40_000)
		const sentImg = await client.sock.sendMessage(jid(ALICE), { image: img, mimetype: 'image/jpeg', jpegThumbnail: '', caption: 'mine' })
		const [rec] = await emu.control.waitForReceived(ALICE, { predicate: m => m.id === sentImg!.key.id })
		assert.equal(rec!.contentType, 'imageMessage')
		assert.equal(rec!.text, 'mine')
		assert.equal(rec!.stanzaType, 'media')
		const res = await fetch(`${emu.url}/control/accounts/${ALICE}/messages/${sentImg!.key.id}/media`)
		assert.equal(res.status, 200)
		assert.equal(Buffer.compare(Buffer.from(await res.arrayBuffer()), img), 0)
	})
})
