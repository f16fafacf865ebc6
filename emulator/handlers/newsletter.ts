/**
 * Channels (newsletters) as WhatsApp serves them. Metadata queries and mutations are GraphQL over
 * `w:mex` iqs (`<query query_id=…>` with a JSON `{variables}` body; the answer is `<result>` with
 * JSON `{data: {<path>: …}}` or `{errors: [...]}`); a channel's posts come from a `newsletter` iq
 * (`<messages count before>`); new posts reach followers' devices as `<message from=…@newsletter
 * server_id=…><plaintext>` (channels are not end-to-end encrypted) and reactions as `newsletter`
 * notifications.
 */
import { type BinaryNode, child, IqError, node, pnJid, unixNow } from '../binary.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { newMessageId } from '../util.js'
import type { Account } from '../world/types.js'
import { type Channel, type ChannelPost, channelsOf } from '../world/newsletters.js'
import { deliver } from './login.js'

/** the GraphQL persisted-query ids WhatsApp clients use, and the data path each answers under */
export const MEX_QUERIES = {
	create: { id: '8823471724422422', path: 'xwa2_newsletter_create' },
	metadata: { id: '6563316087068696', path: 'xwa2_newsletter' },
	follow: { id: '24404358912487870', path: 'xwa2_newsletter_join_v2' },
	unfollow: { id: '9767147403369991', path: 'xwa2_newsletter_leave_v2' },
	subscribed: { id: '6388546374527196', path: 'xwa2_newsletter_subscribed' }
} as const

const MAX_NAME = 100
const MAX_DESCRIPTION = 2048

/** a channel's metadata as the `xwa2_newsletter` family answers it, seen by `viewer` */
export function channelMetadata(channel: Channel, viewer: string): Record<string, unknown> {
	const role = channel.owner === viewer ? 'OWNER' : channel.followers.has(viewer) ? 'SUBSCRIBER' : 'GUEST'
	const created = String(channel.createdAt)
	return {
		id: channel.jid,
		state: { type: 'ACTIVE' },
		thread_metadata: {
			creation_time: created,
			name: { id: created, text: channel.name, update_time: created },
			description: { id: created, text: channel.description, update_time: created },
			invite: channel.invite,
			picture: picture(channel, 'IMAGE'),
			preview: picture(channel, 'PREVIEW'),
			subscribers_count: String(channel.followers.size),
			verification: channel.verification.toUpperCase(),
			settings: { reaction_codes: { value: 'ALL' } }
		},
		viewer_metadata: { mute: 'OFF', role }
	}
}

/** a channel picture as the metadata carries it (empty when the channel has none) */
function picture(channel: Channel, type: 'IMAGE' | 'PREVIEW'): Record<string, string> {
	if (!channel.picture) return {}
	const user = channel.jid.split('@')[0]
	return { id: channel.picture.id, type, direct_path: `/v/t61.24694-24/newsletter-${user}-${type.toLowerCase()}.jpg` }
}

/** a picture given as base64 JPEG, as clients send it (undefined when absent, null when it is no JPEG) */
function jpegOf(value: unknown): Buffer | undefined | null {
	if (value === undefined || value === null || value === '') return undefined
	if (typeof value !== 'string') return null
	const data = Buffer.from(value, 'base64')
	return data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff ? data : null
}

type MexVariables = Record<string, unknown>

const mexAnswer = (path: string, value: unknown): BinaryNode[] => [node('result', {}, Buffer.from(JSON.stringify({ data: { [path]: value } })))]
const mexError = (message: string, code: number): BinaryNode[] => [node('result', {}, Buffer.from(JSON.stringify({ errors: [{ message, extensions: { error_code: code } }] })))]

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

function mex(ctx: EmulatorContext, account: Account, queryId: string, variables: MexVariables): BinaryNode[] {
	const channels = channelsOf(ctx.world)
	const input = (variables.input ?? {}) as Record<string, unknown>
	const target = () => channels.get(str(variables.newsletter_id) ?? '')
	switch (queryId) {
		case MEX_QUERIES.create.id: {
			const name = str(input.name)?.trim()
			if (!name || name.length > MAX_NAME) return mexError('Invalid name', 400)
			const description = str(input.description) ?? ''
			if (description.length > MAX_DESCRIPTION) return mexError('Invalid description', 400)
			const jpeg = jpegOf(input.picture)
			if (jpeg === null) return mexError('Invalid picture', 400)
			const channel = channels.create(account.phone, name, description, jpeg)
			ctx.logger.info({ phone: account.phone, jid: channel.jid }, 'channel created')
			return mexAnswer(MEX_QUERIES.create.path, channelMetadata(channel, account.phone))
		}
		case MEX_QUERIES.metadata.id: {
			const key = str(input.key) ?? ''
			const type = str(input.type)
			const channel = type === 'INVITE' ? channels.byInvite(key) : type === 'JID' ? channels.get(key) : undefined
			if (!type || (type !== 'INVITE' && type !== 'JID')) return mexError('Invalid input type', 400)
			return mexAnswer(MEX_QUERIES.metadata.path, channel ? channelMetadata(channel, account.phone) : null)
		}
		case MEX_QUERIES.follow.id:
		case MEX_QUERIES.unfollow.id: {
			const channel = target()
			if (!channel) return mexError('Newsletter not found', 404)
			const follow = queryId === MEX_QUERIES.follow.id
			if (channel.owner !== account.phone) {
				if (follow) channel.followers.add(account.phone)
				else channel.followers.delete(account.phone)
			}
			return mexAnswer(follow ? MEX_QUERIES.follow.path : MEX_QUERIES.unfollow.path, channelMetadata(channel, account.phone))
		}
		case MEX_QUERIES.subscribed.id:
			return mexAnswer(MEX_QUERIES.subscribed.path, channels.of(account.phone).map(c => channelMetadata(c, account.phone)))
		default:
			return mexError(`Unknown query ${queryId}`, 400)
	}
}

export const mexIq: IqHandler = (ctx, conn, iq) => {
	const device = conn.device
	if (!device) throw new IqError(401, 'not-authorized')
	const query = child(iq, 'query')
	const queryId = query?.attrs.query_id
	if (!query || !queryId || !(query.content instanceof Uint8Array)) throw new IqError(400, 'bad-request')
	let variables: MexVariables
	try {
		const body = JSON.parse(Buffer.from(query.content).toString('utf8')) as { variables?: MexVariables }
		variables = body.variables ?? {}
	} catch {
		throw new IqError(400, 'bad-request')
	}
	return mex(ctx, device.account, queryId, variables)
}

function postNode(post: ChannelPost): BinaryNode {
	const reactions = [...post.reactions].filter(([, who]) => who.size > 0).map(([code, who]) => node('reaction', { code, count: who.size }))
	return node('message', { id: post.id, server_id: post.serverId, t: post.t, type: 'text' }, [
		node('plaintext', {}, post.plaintext),
		...(reactions.length ? [node('reactions', {}, reactions)] : []),
		node('views_count', { count: post.views })
	])
}

/** `newsletter` iqs: a channel's posts (`<messages count before>`), newest `count` before a server id, oldest first */
export const newsletterIq: IqHandler = (ctx, conn, iq) => {
	if (!conn.device) throw new IqError(401, 'not-authorized')
	const channel = channelsOf(ctx.world).get(iq.attrs.to ?? '')
	if (!channel) throw new IqError(404, 'item-not-found')
	const messages = child(iq, 'messages')
	if (messages) {
		const count = Math.min(Math.max(Number(messages.attrs.count ?? 50) || 50, 1), 100)
		const before = messages.attrs.before ? Number(messages.attrs.before) : Infinity
		const posts = channel.posts.filter(p => p.serverId < before).slice(-count)
		return [node('messages', { jid: channel.jid, t: unixNow() }, posts.map(postNode))]
	}
	if (child(iq, 'live_updates')) return [node('live_updates', { duration: 300 })]
	throw new IqError(400, 'bad-request')
}

function audience(ctx: EmulatorContext, channel: Channel) {
	const phones = new Set([channel.owner, ...channel.followers])
	return [...phones].flatMap(phone => {
		const account = ctx.world.getByPhone(phone)
		return account ? ctx.world.linkedDevices(account) : []
	})
}

/** the owner posts: the post is kept and reaches the linked devices of the owner and every follower */
export function channelPost(ctx: EmulatorContext, channel: Channel, plaintext: Buffer): ChannelPost {
	const post: ChannelPost = { serverId: (channel.posts.at(-1)?.serverId ?? 99) + 1, id: newMessageId(), t: unixNow(), plaintext, reactions: new Map(), views: 0 }
	channel.posts.push(post)
	for (const device of audience(ctx, channel)) {
		deliver(device, node('message', { from: channel.jid, id: post.id, server_id: post.serverId, t: post.t, type: 'text' }, [node('plaintext', {}, plaintext)]))
	}
	return post
}

/** a follower reacts to a post (an empty code takes the reaction back); the audience is notified */
export function channelReaction(ctx: EmulatorContext, channel: Channel, post: ChannelPost, from: Account, code: string): void {
	for (const who of post.reactions.values()) who.delete(from.phone)
	if (code) {
		const who = post.reactions.get(code) ?? new Set<string>()
		who.add(from.phone)
		post.reactions.set(code, who)
	}
	for (const device of audience(ctx, channel)) {
		deliver(
			device,
			node('notification', { from: channel.jid, type: 'newsletter', id: newMessageId(), t: unixNow(), participant: pnJid(from.phone) }, [
				node('reaction', { message_id: post.serverId }, [node('reaction', {}, code)])
			])
		)
	}
}
