/**
 * The phone reads (or marks unread) a chat itself: WhatsApp syncs that to the linked devices as an
 * app-state mutation of the `regular_low` collection, index [markChatAsRead, chat], value
 * markChatAsReadAction { read, messageRange { lastMessageTimestamp, messages } } — the range names
 * the chat's latest messages the phone has (Baileys turns it into chats.update unreadCount 0, or
 * -1 for "marked unread"). Reading also sends read receipts for the chat's unread messages to their
 * senders (chat-read-receipts.ts).
 */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import type { Account } from '../world/types.js'
import { phoneAppStatePatch } from './labels.js'
import { sendChatReadReceipts } from './chat-read-receipts.js'

export const CHAT_READ_COLLECTION = 'regular_low'

const chatReadBody = z.object({ chat: z.string().min(1), read: z.boolean().default(true) })

/** the latest messages of a chat the phone holds (received ones and its own), newest last */
function lastMessagesOf(account: Account, chat: string, count = 3): Array<{ key: { remoteJid: string; fromMe: boolean; id: string; participant?: string }; timestamp: number }> {
	const isGroup = chat.endsWith('@g.us')
	const received = account.inbox
		.filter(m => !m.ownDeviceCopy && (isGroup ? m.group === chat : !m.group && `${m.fromPhone}@s.whatsapp.net` === chat))
		.map(m => ({ key: { remoteJid: chat, fromMe: false, id: m.id, ...(isGroup ? { participant: `${m.fromPhone}@s.whatsapp.net` } : {}) }, timestamp: m.timestamp }))
	return received.sort((a, b) => a.timestamp - b.timestamp).slice(-count)
}

/**
 * the phone marks `chat` read (or unread): one app-state patch announced to the linked devices and,
 * when read, read receipts to the senders of the messages it had not read; the patch's version and
 * how many messages were read
 */
export function phoneMarkChatRead(ctx: EmulatorContext, account: Account, chat: string, read: boolean): { version: number; readMessages: number } {
	const messages = lastMessagesOf(account, chat)
	const lastMessageTimestamp = messages.at(-1)?.timestamp ?? Math.floor(Date.now() / 1000)
	const version = phoneAppStatePatch(ctx, account, CHAT_READ_COLLECTION, [
		{
			operation: 'set',
			index: ['markChatAsRead', chat],
			value: { timestamp: Date.now(), markChatAsReadAction: { read, messageRange: { lastMessageTimestamp, messages } } },
			apiVersion: 3
		}
	])
	return { version, readMessages: read ? sendChatReadReceipts(ctx, account, chat) : 0 }
}

export function installChatRead(ctx: EmulatorContext, control: ControlHttp): void {
	control.add('POST', '/control/accounts/:phone/chats/read', (p, b) => {
		const body = chatReadBody.parse(b)
		const account = ctx.world.findAccount(p.phone!)
		if (!account) throw new ControlError(404, `no account ${p.phone}`)
		const other = body.chat.includes('@') ? body.chat : ctx.world.findAccount(body.chat)?.phone
		if (!other) throw new ControlError(404, `no account ${body.chat}`)
		const chat = other.includes('@') ? other : `${other}@s.whatsapp.net`
		const { version, readMessages } = phoneMarkChatRead(ctx, account, chat, body.read)
		return { version, chat, read: body.read, readMessages }
	})
}
