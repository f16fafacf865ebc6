import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, BOB, type LinkedClient, OWNER_PHONE, waitForEvent, startLinked, jid, textOf } from './helpers.js'

describe('groups', () => {
	let emu: Emulator
	let owner: LinkedClient, alice: LinkedClient
	let stop: () => Promise<void>
	before(async () => {
		;({ emu, clients: [owner, alice], stop } = await startLinked([OWNER_PHONE, ALICE]))
	})
	after(() => stop?.())

	test('create, message both ways (skmsg), and manage a group', async () => {
		const created = await owner.sock.groupCreate('Emulated group', [jid(ALICE), jid(BOB)])
		assert.match(created.id, /@g\.us$/)
		assert.equal(created.subject, 'Emulated group')
		assert.equal(created.participants.length, 3)
		const ownerLid = `${emu.world.getByPhone(OWNER_PHONE)!.lid}@lid`
		assert.equal(created.participants.find(p => p.id === ownerLid)?.admin, 'superadmin')

		// client -> group: Bob's phone and Alice's phone decrypt the skmsg, Alice's linked client gets it too
		const atAliceClient = waitForEvent(alice.sock, 'messages.upsert', u => u.messages.some(m => textOf(m) === 'hello group'))
		const sent = await owner.sock.sendMessage(created.id, { text: 'hello group' })
		const [bobGot] = await emu.control.waitForReceived(BOB, { predicate: m => m.id === sent!.key.id })
		assert.equal(bobGot!.text, 'hello group')
		assert.equal(bobGot!.group, created.id)
		assert.equal(bobGot!.encType, 'skmsg')
		const [aliceGot] = await emu.control.waitForReceived(ALICE, { predicate: m => m.id === sent!.key.id })
		assert.equal(aliceGot!.text, 'hello group')
		const atAlice = (await atAliceClient).messages.find(m => textOf(m) === 'hello group')!
		assert.equal(atAlice.key.remoteJid, created.id)

		// contact phone -> group: the owner's client decrypts the distribution + skmsg
		const fromBob = waitForEvent(owner.sock, 'messages.upsert', u => u.messages.some(m => textOf(m) === 'hi from Bob'))
		const id = await emu.control.groupSend(created.id, BOB, { text: 'hi from Bob' })
		const m = (await fromBob).messages.find(x => textOf(x) === 'hi from Bob')!
		assert.equal(m.key.id, id)
		assert.equal(m.key.remoteJid, created.id)
		assert.equal(m.key.participant, `${emu.world.getByPhone(BOB)!.lid}@lid`)
		const second = waitForEvent(owner.sock, 'messages.upsert', u => u.messages.some(x => textOf(x) === 'again from Bob'))
		await emu.control.groupSend(created.id, BOB, { text: 'again from Bob' })
		await second

		// management
		await owner.sock.groupUpdateSubject(created.id, 'Renamed')
		await owner.sock.groupUpdateDescription(created.id, 'A description')
		const promoted = await owner.sock.groupParticipantsUpdate(created.id, [jid(ALICE)], 'promote')
		assert.equal(promoted[0]!.status, '200')
		await owner.sock.groupSettingUpdate(created.id, 'announcement')
		const code = await owner.sock.groupInviteCode(created.id)
		assert.ok(code && code.length > 10)
		const removed = await owner.sock.groupParticipantsUpdate(created.id, [jid(BOB)], 'remove')
		assert.equal(removed[0]!.status, '200')
		const meta = await owner.sock.groupMetadata(created.id)
		assert.equal(meta.subject, 'Renamed')
		assert.equal(meta.desc, 'A description')
		assert.equal(meta.announce, true)
		assert.equal(meta.participants.length, 2)
		assert.equal(meta.participants.find(p => p.id === `${emu.world.getByPhone(ALICE)!.lid}@lid`)?.admin, 'admin')
		const all = await owner.sock.groupFetchAllParticipating()
		assert.deepEqual(Object.keys(all), [created.id])
		// once demoted, Alice can no longer add people
		await owner.sock.groupParticipantsUpdate(created.id, [jid(ALICE)], 'demote')
		await assert.rejects(alice.sock.groupParticipantsUpdate(created.id, [jid(BOB)], 'add'), /not-authorized/)
	})

	test('join by invite code and leave', async () => {
		const group = emu.control.createGroup(ALICE, 'Invite only', [])
		const code = emu.control.group(group.jid).inviteCode
		const joined = await owner.sock.groupAcceptInvite(code)
		assert.equal(joined, group.jid)
		assert.ok(emu.control.group(group.jid).members.has(OWNER_PHONE))
		await owner.sock.groupLeave(group.jid)
		assert.equal(emu.control.group(group.jid).members.has(OWNER_PHONE), false)
	})
})
