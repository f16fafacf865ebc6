/**
 * When the phone reads a chat, WhatsApp also tells the senders: for the chat's messages the phone had
 * not read yet, one <receipt type="read"> per sender, listing the message ids (the first in `id`, the
 * others as <list><item id/></list>), to every linked device of the sender's account. In a 1:1 chat it
 * comes `from` the reader (its PN or LID, as the sender addressed the chat); in a group `from` the group
 * with the reader as `participant`. A message the sender's phone sent is marked read on that phone, as
 * a linked device's read receipt marks it. Each message is read once.
 */
import { lidJid, pnJid } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import { phoneReceipt } from '../phone.js'
import type { Account, ReceivedMessage } from '../world/types.js'
import { messageOrigins } from './message.js'
import { recordReceipt } from './receipt.js'

/** received messages the phone has read (by reading their chat) */
const readByPhone = new WeakSet<ReceivedMessage>()

/** the messages of `chat` the account's phone received and has not read yet, oldest first */
function unreadIn(account: Account, chat: string): ReceivedMessage[] {
	const isGroup = chat.endsWith('@g.us')
	return account.inbox.filter(
		m => !m.ownDeviceCopy && !readByPhone.has(m) && (isGroup ? m.group === chat : !m.group && pnJid(m.fromPhone) === chat)
	)
}

/** whether the sender addressed the 1:1 chat by the reader's LID (its receipts then come from the LID) */
function addressedByLid(sender: Account, m: ReceivedMessage): boolean {
	if (m.fromDevice === 0) return sender.sent.get(m.id)?.to.endsWith('@lid') ?? false
	return messageOrigins.get(m.id)?.chatByLid ?? false
}

/** `reader`'s phone has read `chat` (a PN or group jid): read receipts to the senders; how many messages were read */
export function sendChatReadReceipts(ctx: EmulatorContext, reader: Account, chat: string): number {
	const unread = unreadIn(reader, chat)
	const batches = new Map<string, { sender: Account; from: string; group: boolean; ids: string[] }>()
	for (const m of unread) {
		readByPhone.add(m)
		const sender = ctx.world.getByPhone(m.fromPhone)
		if (!sender) continue
		if (m.fromDevice === 0) {
			const sent = sender.sent.get(m.id)
			if (sent) recordReceipt(sent, pnJid(reader.phone), 'read')
		}
		const from = m.group ?? (addressedByLid(sender, m) ? lidJid(reader.lid) : pnJid(reader.phone))
		const key = `${sender.phone}>${from}`
		const batch = batches.get(key) ?? { sender, from, group: m.group !== undefined, ids: [] }
		batch.ids.push(m.id)
		batches.set(key, batch)
	}
	for (const { sender, from, group, ids } of batches.values()) {
		for (const device of ctx.world.linkedDevices(sender)) phoneReceipt(reader, device, from, ids, 'read', group ? reader : undefined)
	}
	if (unread.length) ctx.logger.debug({ reader: reader.phone, chat, read: unread.length, senders: batches.size }, 'phone read a chat: read receipts sent')
	return unread.length
}
