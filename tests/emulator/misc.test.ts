import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createHash } from 'node:crypto'
import { decryptPollVote, getKeyAuthor, jidNormalizedUser } from 'baileys'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, BOB, type LinkedClient, OWNER_PHONE, waitForEvent, startLinked, jid, textOf } from './helpers.js'

describe('profile, privacy, blocklist, reactions, polls', () => {
	let emu: Emulator
	let client: LinkedClient
	let stop: () => Promise<void>
	before(async () => {
		;({ emu, clients: [client], stop } = await startLinked([OWNER_PHONE]))
	})
	after(() => stop?.())

	test('status text: set own, fetch a contact', async () => {
		await client.sock.updateProfileStatus('Busy emulating')
		assert.equal(emu.world.getByPhone(OWNER_PHONE)!.statusText, 'Busy emulating')
		emu.control.updateAccount(ALICE, { statusText: 'At the gym' })
		const res = (await client.sock.fetchStatus(jid(ALICE))) as Array<{ id: string; status: { status: string } }>
		assert.equal(res[0]!.status.status, 'At the gym')
	})

	test('privacy settings: read and update', async () => {
		const settings = await client.sock.fetchPrivacySettings(true)
		assert.equal(settings.readreceipts, 'all')
		await client.sock.updateLastSeenPrivacy('contacts')
		assert.equal(emu.world.getByPhone(OWNER_PHONE)!.privacy.last, 'contacts')
		assert.equal((await client.sock.fetchPrivacySettings(true)).last, 'contacts')
	})

	test('blocklist: block, list, unblock', async () => {
		await client.sock.onWhatsApp(BOB)
		await client.sock.sendMessage(jid(BOB), { text: 'before blocking' })
		await client.sock.updateBlockStatus(jid(BOB), 'block')
		const list = await client.sock.fetchBlocklist()
		assert.ok(list.some(j => j === jid(BOB) || j === `${emu.world.getByPhone(BOB)!.lid}@lid`))
		await client.sock.updateBlockStatus(jid(BOB), 'unblock')
		assert.equal((await client.sock.fetchBlocklist()).length, 0)
	})

	test('profile picture of a contact without one is a 404', async () => {
		await assert.rejects(client.sock.profilePictureUrl(jid(ALICE)), /item-not-found|404/)
	})

	test('reactions both ways', async () => {
		const incoming = waitForEvent(client.sock, 'messages.upsert', u => u.messages.some(m => textOf(m) === 'react to me'))
		const sent = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'react to me' })
		const msg = (await incoming).messages.find(m => textOf(m) === 'react to me')!
		const reaction = await client.sock.sendMessage(jid(ALICE), { react: { text: '👍', key: msg.key } })
		const [got] = await emu.control.waitForReceived(ALICE, { predicate: m => m.id === reaction!.key.id })
		assert.equal(got!.contentType, 'reactionMessage')
		assert.equal(got!.text, '👍')
		assert.equal(got!.quotedId, sent.id)
		assert.equal(got!.stanzaType, 'reaction')

		const mine = await client.sock.sendMessage(jid(ALICE), { text: 'love this?' })
		const reacted = waitForEvent(client.sock, 'messages.reaction', rs => rs.some(r => r.key.id === mine!.key.id))
		await emu.control.send(ALICE, {
			to: OWNER_PHONE,
			message: { reactionMessage: { key: { remoteJid: jid(ALICE), fromMe: false, id: mine!.key.id }, text: '❤️', senderTimestampMs: Date.now() } }
		})
		const [r] = (await reacted).filter(x => x.key.id === mine!.key.id)
		assert.equal(r!.reaction.text, '❤️')
	})

	test('a poll created by the client reaches the contact, and the contact votes', async () => {
		const poll = await client.sock.sendMessage(jid(ALICE), { poll: { name: 'Lunch?', values: ['Pizza', 'Sushi'], selectableCount: 1 } })
		const [got] = await emu.control.waitForReceived(ALICE, { predicate: m => m.id === poll!.key.id })
		assert.equal(got!.text, 'Lunch?')
		assert.equal(got!.stanzaType, 'poll')
		assert.match(got!.contentType, /^pollCreationMessage/)

		// the contact votes; Baileys' decryptPollVote (with the poll's messageSecret) reads the vote
		const update = waitForEvent(client.sock, 'messages.upsert', u => u.messages.some(m => !!m.message?.pollUpdateMessage))
		await emu.control.pollVote(ALICE, poll!.key.id!, ['Sushi'])
		const voteMsg = (await update).messages.find(m => !!m.message?.pollUpdateMessage)!
		const pu = voteMsg.message!.pollUpdateMessage!
		assert.equal(pu.pollCreationMessageKey?.id, poll!.key.id)
		const meId = jidNormalizedUser(client.auth.creds.me!.id)
		const vote = decryptPollVote(pu.vote!, {
			pollEncKey: poll!.message!.messageContextInfo!.messageSecret!,
			pollCreatorJid: getKeyAuthor({ ...pu.pollCreationMessageKey, fromMe: true }, meId),
			pollMsgId: poll!.key.id!,
			voterJid: getKeyAuthor(voteMsg.key, meId)
		})
		assert.deepEqual(vote.selectedOptions.map(o => Buffer.from(o).toString('hex')), [createHash('sha256').update('Sushi').digest('hex')])
	})
})
