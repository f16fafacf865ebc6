import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren, proto } from 'baileys'
import type { Emulator } from '../../emulator/index.js'
import { ALICE, type LinkedClient, OWNER_PHONE, jid, startLinked, until, waitForStatus } from './helpers.js'

// When the account's phone reads a chat, WhatsApp sends read receipts to the senders of the messages
// it read. Seen from the contact's side: Alice's linked client (and Alice's phone, for what it sent).

interface ReadReceipt {
	from: string
	participant?: string
	ids: string[]
}

describe('the phone reads a chat: read receipts to the senders', () => {
	let emu: Emulator
	let alice: LinkedClient
	let stop: () => Promise<void>
	/** the read receipts Alice's linked client received, in order */
	const receipts: ReadReceipt[] = []
	let ownerPn: string
	let ownerLid: string

	before(async () => {
		;({ emu, clients: [alice], stop } = await startLinked([ALICE]))
		ownerPn = jid(OWNER_PHONE)
		ownerLid = `${emu.world.getByPhone(OWNER_PHONE)!.lid}@lid`
		alice.sock.ws.on('CB:receipt', (n: BinaryNode) => {
			if (n.attrs.type !== 'read') return
			const items = getBinaryNodeChildren(getBinaryNodeChild(n, 'list'), 'item').map(i => i.attrs.id!)
			receipts.push({ from: n.attrs.from!, participant: n.attrs.participant, ids: [n.attrs.id!, ...items] })
		})
	})
	after(() => stop?.())

	const phoneReads = async (chat: string, read = true): Promise<{ chat: string; read: boolean; readMessages: number }> => {
		const res = await fetch(`${emu.url}/control/accounts/${OWNER_PHONE}/chats/read`, { method: 'POST', body: JSON.stringify({ chat, read }) })
		assert.equal(res.status, 200)
		return (await res.json()) as { chat: string; read: boolean; readMessages: number }
	}
	const clientSends = async (to: string, text: string): Promise<string> => {
		const sent = await alice.sock.sendMessage(to, { text })
		const id = sent!.key.id!
		await emu.control.waitForReceived(OWNER_PHONE, { predicate: m => m.id === id })
		return id
	}
	/** the read receipts received since the `since`-th, once they list `count` ids */
	const readIdsFrom = async (since: number, count: number, what: string): Promise<ReadReceipt[]> =>
		until(() => {
			const got = receipts.slice(since)
			return got.reduce((n, r) => n + r.ids.length, 0) >= count && got
		}, 10_000, what)

	test('1:1: every message read once, in receipts from the reader to the contact; a message the contact’s phone sent is read on that phone', async () => {
		const first = await clientSends(jid(OWNER_PHONE), 'one')
		const second = await clientSends(jid(OWNER_PHONE), 'two')
		const fromPhone = await emu.control.send(ALICE, { to: OWNER_PHONE, text: 'three, from Alice’s phone' })
		assert.equal(receipts.length, 0, 'nothing is read before the phone reads the chat')

		const READ = proto.WebMessageInfo.Status.READ
		const firstRead = waitForStatus(alice, first, READ)
		const since = receipts.length
		const answer = await phoneReads(ALICE)
		assert.deepEqual([answer.chat, answer.read, answer.readMessages], [jid(ALICE), true, 3])
		const got = await readIdsFrom(since, 3, 'read receipts for the three messages')
		assert.deepEqual(got.flatMap(r => r.ids).sort(), [first, second, fromPhone.id].sort())
		for (const r of got) {
			assert.ok(r.from === ownerPn || r.from === ownerLid, `from ${r.from}`)
			assert.equal(r.participant, undefined)
		}
		// Baileys reports them as the messages' status READ.
		assert.equal(await firstRead, READ)
		// Alice's phone sent the third: it records the read there, as from the reading phone.
		const onPhone = emu.control.sent(ALICE).find(s => s.id === fromPhone.id)!
		assert.equal(onPhone.status, 'read')
		assert.equal(onPhone.receipts[ownerPn], 'read')

		// Read again: only the message that came since is read.
		const fourth = await clientSends(jid(OWNER_PHONE), 'four')
		const again = receipts.length
		assert.equal((await phoneReads(jid(ALICE))).readMessages, 1)
		const next = await readIdsFrom(again, 1, 'the read receipt for the fourth message')
		assert.deepEqual(next.flatMap(r => r.ids), [fourth])
		// Marking the chat unread reads nothing.
		assert.equal((await phoneReads(ALICE, false)).readMessages, 0)
		assert.equal((await phoneReads(ALICE)).readMessages, 0)
	})

	test('group: the receipt comes from the group with the reader as participant', async () => {
		const group = await alice.sock.groupCreate('Read on the phone', [jid(OWNER_PHONE)])
		const id = await clientSends(group.id, 'hello group')
		const since = receipts.length
		assert.equal((await phoneReads(group.id)).readMessages, 1)
		const [receipt] = await readIdsFrom(since, 1, 'the group read receipt')
		assert.deepEqual(receipt, { from: group.id, participant: ownerLid, ids: [id] })
	})
})
