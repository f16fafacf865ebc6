/**
 * Poll votes from emulated phones: a PollVoteMessage encrypted with the poll's messageSecret, the way
 * Baileys' `decryptPollVote` expects (creator jid = the poll author's PN, voter jid = what Baileys'
 * `getKeyAuthor` yields for the vote: the voter's LID for PN-addressed chats, sent as `sender_lid`).
 */
import { randomBytes } from 'node:crypto'
import { proto } from 'baileys'
import { lidJid, pnJid } from './binary.js'
import { aesGcmEncrypt, hmacSha256, sha256 } from './crypto.js'
import type { Account, ReceivedMessage } from './world/types.js'

export class PollError extends Error {}

interface PollFields {
	options?: Array<{ optionName?: string }>
}

function pollOptions(poll: ReceivedMessage): string[] {
	const fields = poll.message[poll.contentType] as PollFields | undefined
	return (fields?.options ?? []).map(o => o.optionName ?? '')
}

/** builds the pollUpdateMessage `voter` sends for a poll it received */
export function buildPollVote(voter: Account, poll: ReceivedMessage, selected: string[], addressing: 'pn' | 'lid' = 'pn'): proto.IMessage {
	if (!poll.contentType.startsWith('pollCreationMessage')) throw new PollError(`${poll.id} is not a poll`)
	const secretB64 = (poll.message.messageContextInfo as { messageSecret?: string } | undefined)?.messageSecret
	if (!secretB64) throw new PollError('poll has no messageSecret')
	const options = pollOptions(poll)
	for (const s of selected) if (!options.includes(s)) throw new PollError(`"${s}" is not an option of the poll`)
	const creatorJid = pnJid(poll.fromPhone)
	const voterJid = addressing === 'pn' ? lidJid(voter.lid) : pnJid(voter.phone)
	const sign = Buffer.concat([Buffer.from(poll.id), Buffer.from(creatorJid), Buffer.from(voterJid), Buffer.from('Poll Vote'), Buffer.from([1])])
	const key0 = hmacSha256(Buffer.from(secretB64, 'base64'), Buffer.alloc(32))
	const encKey = hmacSha256(sign, key0)
	const encIv = randomBytes(12)
	const vote = proto.Message.PollVoteMessage.encode({ selectedOptions: selected.map(s => sha256(Buffer.from(s))) }).finish()
	const encPayload = aesGcmEncrypt(vote, encKey, encIv, Buffer.from(`${poll.id}\u0000${voterJid}`))
	return {
		pollUpdateMessage: {
			pollCreationMessageKey: { remoteJid: creatorJid, fromMe: false, id: poll.id },
			vote: { encPayload, encIv },
			senderTimestampMs: Date.now()
		}
	}
}
