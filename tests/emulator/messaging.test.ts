import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { proto, type WAMessage } from 'baileys'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, BOB, ECHO, type LinkedClient, OWNER_PHONE, until, waitForEvent, waitForStatus, startLinked, jid } from './helpers.js'


function textOf(m: WAMessage): string | undefined {
	return m.message?.conversation ?? m.message?.extendedTextMessage?.text ?? undefined
}

function waitForText(client: LinkedClient, predicate: (m: WAMessage) => boolean): Promise<WAMessage> {
	return waitForEvent(client.sock, 'messages.upsert', u => u.messages.some(m => !m.key.fromMe && predicate(m))).then(
		u => u.messages.find(m => !m.key.fromMe && predicate(m))!
	)
}

describe('1:1 messaging', () => {
	let emu: Emulator
	let client: LinkedClient
	let stop: () => Promise<void>
	before(async () => {
		;({ emu, clients: [client], stop } = await startLinked([OWNER_PHONE]))
	})
	after(() => stop?.())

	test('a text sent by the client is decrypted exactly by the contact, and delivery comes back', async () => {
		const text = 'Hello Alice 👋 — ünïcödé & <xml> "quotes"'
		const sent = await client.sock.sendMessage(jid(ALICE), { text })
		const delivered = waitForStatus(client, sent!.key.id!, proto.WebMessageInfo.Status.DELIVERY_ACK)
		const [got] = await emu.control.waitForReceived(ALICE, { from: OWNER_PHONE, predicate: m => m.id === sent!.key.id })
		assert.equal(got!.text, text)
		assert.equal(got!.fromPhone, OWNER_PHONE)
		assert.equal(got!.fromDevice, Number(client.auth.creds.me!.id.split(':')[1]!.split('@')[0]))
		assert.equal(got!.stanzaType, 'text')
		assert.equal(got!.ownDeviceCopy, false)
		assert.equal(await delivered, proto.WebMessageInfo.Status.DELIVERY_ACK)
		// the client's own phone got a copy too (device-sent message)
		const own = emu.control.received(OWNER_PHONE).find(m => m.id === sent!.key.id)
		assert.equal(own?.ownDeviceCopy, true)
		assert.equal(own?.text, text)
	})

	test('a contact message arrives as pkmsg; after the client replies the next one is msg', async () => {
		const first = waitForText(client, m => textOf(m) === 'first from Bob')
		const sent1 = await emu.control.send(BOB, { to: OWNER_PHONE, text: 'first from Bob' })
		const m1 = await first
		assert.equal(m1.key.id, sent1.id)
		assert.equal(m1.key.remoteJid, jid(BOB))
		assert.equal(m1.pushName, 'Bob')
		assert.deepEqual(Object.values(sent1.encTypes), ['pkmsg'])
		const reply = await client.sock.sendMessage(jid(BOB), { text: 'reply to Bob' })
		const [got] = await emu.control.waitForReceived(BOB, { predicate: m => m.id === reply!.key.id })
		assert.equal(got!.text, 'reply to Bob')
		// Baileys re-fetches the bundle after its first usync of a contact (forced LID session refresh), so its
		// first reply starts a new session (pkmsg); the contact's next message then continues it (msg)
		assert.ok(['pkmsg', 'msg'].includes(got!.encType))
		const second = waitForText(client, m => textOf(m) === 'second from Bob')
		const sent2 = await emu.control.send(BOB, { to: OWNER_PHONE, text: 'second from Bob' })
		const m2 = await second
		assert.equal(m2.key.id, sent2.id)
		assert.deepEqual(Object.values(sent2.encTypes), ['msg'])
		// Baileys acknowledged with a delivery receipt, recorded on Bob's phone
		await until(() => emu.control.sent(BOB).find(s => s.id === sent2.id)?.status === 'delivered', 5000, 'delivery receipt')
	})

	test('the client replies in a session started by the contact and the contact can quote it', async () => {
		const incoming = waitForText(client, m => textOf(m) === 'ping from Alice')
		await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'ping from Alice' })
		const msg = await incoming
		const reply = await client.sock.sendMessage(jid(ALICE), { text: 'pong to Alice' }, { quoted: msg })
		const [got] = await emu.control.waitForReceived(ALICE, { predicate: m => m.id === reply!.key.id })
		assert.equal(got!.text, 'pong to Alice')
		assert.equal(got!.quotedId, msg.key.id)
		const quoted = waitForText(client, m => textOf(m) === 'quoting you')
		await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'quoting you', quote: { id: reply!.key.id! } })
		const q = await quoted
		assert.equal(q.message?.extendedTextMessage?.contextInfo?.stanzaId, reply!.key.id)
		assert.equal(q.message?.extendedTextMessage?.contextInfo?.quotedMessage?.conversation, 'pong to Alice')
	})

	test('read receipts from a contact become messages.update status READ', async () => {
		const sent = await client.sock.sendMessage(jid(BOB), { text: 'please read me' })
		const id = sent!.key.id!
		await emu.control.waitForReceived(BOB, { predicate: m => m.id === id })
		const read = waitForStatus(client, id, proto.WebMessageInfo.Status.READ)
		assert.equal(emu.control.receipt(BOB, [id], 'read'), 1)
		assert.equal(await read, proto.WebMessageInfo.Status.READ)
	})

	test('the client reading a contact message is recorded on the contact phone', async () => {
		const incoming = waitForText(client, m => textOf(m) === 'read this please')
		const sent = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'read this please' })
		const msg = await incoming
		await client.sock.readMessages([msg.key])
		await until(() => emu.control.sent(ALICE).find(s => s.id === sent.id)?.status === 'read', 5000, 'read receipt')
	})

	test('an echo bot replies with the same text', async () => {
		const echoed = waitForText(client, m => m.key.remoteJid === jid(ECHO) && textOf(m) === 'echo this')
		await client.sock.sendMessage(jid(ECHO), { text: 'echo this' })
		assert.equal(textOf(await echoed), 'echo this')
	})

	test('a message the client cannot decrypt is re-sent by the phone after a retry receipt', async () => {
		const carol = emu.world.getByPhone('15550002003')!
		const first = waitForText(client, m => textOf(m) === 'carol one')
		await emu.control.send(carol.phone, { to: OWNER_PHONE, text: 'carol one' })
		await first
		// the client loses its session with Carol's phone
		await client.auth.keys.set({ session: { [`${carol.lid}_1.0`]: null } })
		const retries = emu.context.stats.retriesResent
		const second = waitForText(client, m => textOf(m) === 'carol two')
		const sent = await emu.control.send(carol.phone, { to: OWNER_PHONE, text: 'carol two' })
		const m = await second
		assert.equal(m.key.id, sent.id)
		assert.equal(emu.context.stats.retriesResent, retries + 1)
	})

	test('onWhatsApp tells registered from unknown numbers', async () => {
		const res = await client.sock.onWhatsApp(ALICE, '19999999999')
		assert.deepEqual(res, [{ jid: jid(ALICE), exists: true }])
	})

	test('presence subscription and chatstates reach the client; client chatstates reach the contact', async () => {
		const presence = waitForEvent(client.sock, 'presence.update', p => p.id === jid(ALICE))
		await client.sock.presenceSubscribe(jid(ALICE))
		const p = await presence
		assert.equal(p.presences[jid(ALICE)]?.lastKnownPresence, 'available')
		const typing = waitForEvent(client.sock, 'presence.update', u => u.id === jid(ALICE) && u.presences[jid(ALICE)]?.lastKnownPresence === 'composing')
		emu.control.chatstate(ALICE, OWNER_PHONE, 'composing')
		await typing
		await client.sock.sendPresenceUpdate('composing', jid(ALICE))
		const alice = emu.world.getByPhone(ALICE)!
		await until(() => alice.chatstates.some(c => c.from === OWNER_PHONE && c.state === 'composing'), 3000, 'chatstate')
	})
})
