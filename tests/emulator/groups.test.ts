import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { type BinaryNode, getBinaryNodeChild } from 'baileys'
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

	test('a user who does not allow being added gets the adder a 403 with an invite; unknown users a 404', async () => {
		const group = await owner.sock.groupCreate('Add requests', [jid(ALICE)])
		emu.control.updateAccount(BOB, { groupAdd: 'none' })
		try {
			const results = await owner.sock.groupParticipantsUpdate(group.id, [jid(BOB), jid('15559990002')], 'add')
			assert.deepEqual(results.map(r => r.status), ['403', '404'])
			const request = getBinaryNodeChild(results[0]!.content, 'add_request')
			assert.ok(request?.attrs.code && Number(request.attrs.expiration) > Date.now() / 1000)
			assert.equal(emu.control.group(group.id).members.has(BOB), false)
		} finally {
			emu.control.updateAccount(BOB, { groupAdd: 'all' })
		}
	})

	test('group picture: members set it unless locked; members get a picture notification', async () => {
		const group = await owner.sock.groupCreate('Pictures', [jid(ALICE)])
		const seen = waitForEvent(alice.sock, 'contacts.update', u => u.some(c => c.id === group.id && c.imgUrl === 'changed'))
		const image = await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer()
		await owner.sock.updateProfilePicture(group.id, image)
		await seen
		const picture = emu.control.group(group.id).picture
		assert.equal(picture?.author.phone, OWNER_PHONE)
		assert.equal((await sharp(picture!.data).metadata()).format, 'jpeg')
		await owner.sock.groupSettingUpdate(group.id, 'locked')
		await assert.rejects(alice.sock.updateProfilePicture(group.id, image), /not-authorized/)
		assert.equal(emu.control.group(group.id).picture?.id, picture!.id)
	})

	test('communities: create (with the general group), link, list and unlink a subgroup; members are notified', async () => {
		const created = await owner.sock.communityCreate('Neighbourhood', 'Our street')
		assert.ok(created?.isCommunity, JSON.stringify(created))
		const community = emu.control.group(created!.id)
		assert.equal(community.community, true)
		assert.equal(community.description?.text, 'Our street')
		const group = await owner.sock.groupCreate('Gardening', [jid(ALICE)])
		const notified = new Promise<BinaryNode>(resolve => alice.sock.ws.on('CB:notification,type:w:gp2', (n: BinaryNode) => getBinaryNodeChild(n, 'link') && resolve(n)))
		await owner.sock.communityLinkGroup(group.id, created!.id)
		assert.equal(emu.control.group(group.id).linkedParent, created!.id)
		const link = getBinaryNodeChild(await notified, 'link')!
		assert.equal(link.attrs.link_type, 'parent_group')
		assert.equal(getBinaryNodeChild(link, 'group')?.attrs.jid, created!.id)
		assert.equal((await owner.sock.groupMetadata(group.id)).linkedParent, created!.id)
		const linked = await owner.sock.communityFetchLinkedGroups(created!.id)
		assert.deepEqual(linked.linkedGroups.map(g => g.subject).sort(), ['Gardening', 'Neighbourhood'])
		// Alice is no admin of the community: WhatsApp refuses her
		await assert.rejects(alice.sock.communityUnlinkGroup(group.id, created!.id), /forbidden|not-authorized/)
		await owner.sock.communityUnlinkGroup(group.id, created!.id)
		assert.equal(emu.control.group(group.id).linkedParent, undefined)
		await assert.rejects(owner.sock.communityUnlinkGroup(group.id, created!.id), /item-not-found/)
	})
})

