/**
 * Bots as WhatsApp serves them: the bot list (`<iq xmlns=bot><bot v=2/>` answered with
 * `<bot><section type=all><bot jid persona_id/>…`), and bot phones that answer each text they
 * decrypt — as the persona the message names (messageContextInfo.botMetadata.personaId), or the
 * bot's first persona — with a reply carrying that persona id.
 */
import type { proto } from 'baileys'
import { IqError, node, pnJid } from '../binary.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { phoneSend } from '../phone.js'
import { type Bot, botsOf } from '../world/bots.js'
import type { Account, ReceivedMessage } from '../world/types.js'

export const botListIq: IqHandler = (ctx, conn, iq) => {
	if (!conn.device) throw new IqError(401, 'not-authorized')
	if (iq.attrs.type !== 'get') throw new IqError(400, 'bad-request')
	const entries = [...botsOf(ctx.world).values()].flatMap(bot => bot.personas.map(p => node('bot', { jid: pnJid(bot.phone), persona_id: p.personaId })))
	return [node('bot', { v: 2 }, [node('section', { type: 'all' }, entries)])]
}

function personaIdOf(message: ReceivedMessage): string | undefined {
	const info = message.message.messageContextInfo as { botMetadata?: { personaId?: unknown } } | undefined
	const id = info?.botMetadata?.personaId
	return typeof id === 'string' ? id : undefined
}

/** what the bot answers (deterministic, so tests can expect it) */
export function botReply(bot: Bot, personaId: string | undefined, text: string): proto.IMessage {
	const persona = bot.personas.find(p => p.personaId === personaId) ?? bot.personas[0]
	return {
		conversation: `${persona?.name ?? 'Bot'}: you asked "${text}"`,
		messageContextInfo: { botMetadata: { personaId: persona?.personaId } }
	}
}

export function installBots(ctx: EmulatorContext): void {
	ctx.iq.set('bot', botListIq)
	ctx.world.on('received', (account: Account, message: ReceivedMessage) => {
		const bot = botsOf(ctx.world).get(account.phone)
		if (!bot || message.ownDeviceCopy || message.group || message.text === undefined || message.contentType === 'reactionMessage') return
		const sender = ctx.world.getByPhone(message.fromPhone)
		if (!sender) return
		phoneSend(ctx, account, sender, botReply(bot, personaIdOf(message), message.text)).catch((err: Error) => ctx.logger.error({ err, bot: account.phone }, 'bot reply failed'))
	})
}
