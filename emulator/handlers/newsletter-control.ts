/** Control API of channels: list and inspect them (followers, posts, reactions), create one, post and react as accounts. */
import { proto } from 'baileys'
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import { type Channel, channelsOf } from '../world/newsletters.js'
import type { Account } from '../world/types.js'
import { channelPost, channelReaction, mexIq, newsletterIq } from './newsletter.js'

const createBody = z.object({ owner: z.string().min(1), name: z.string().min(1).max(100), description: z.string().max(2048).default('') })
const postBody = z.object({ text: z.string().min(1).max(65536) })
const reactionBody = z.object({ from: z.string().min(1), serverId: z.number().int(), code: z.string().max(16) })

export interface ChannelView {
	jid: string
	name: string
	description: string
	invite: string
	owner: string
	followers: string[]
	/** the channel's picture: its id and the JPEG (base64), or null */
	picture: { id: string; jpeg: string } | null
	posts: Array<{ serverId: number; id: string; t: number; text: string | null; reactions: Record<string, string[]> }>
}

export function channelView(c: Channel): ChannelView {
	return {
		jid: c.jid,
		name: c.name,
		description: c.description,
		invite: c.invite,
		owner: c.owner,
		followers: [...c.followers],
		picture: c.picture ? { id: c.picture.id, jpeg: c.picture.data.toString('base64') } : null,
		posts: c.posts.map(p => {
			const message = proto.Message.decode(p.plaintext)
			return {
				serverId: p.serverId,
				id: p.id,
				t: p.t,
				text: message.conversation ?? message.extendedTextMessage?.text ?? null,
				reactions: Object.fromEntries([...p.reactions].filter(([, who]) => who.size).map(([code, who]) => [code, [...who]]))
			}
		})
	}
}

export function installNewsletters(ctx: EmulatorContext, control: ControlHttp): void {
	ctx.iq.set('w:mex', mexIq)
	ctx.iq.set('newsletter', newsletterIq)
	const channels = channelsOf(ctx.world)
	const account = (ref: string): Account => {
		const found = ctx.world.findAccount(ref)
		if (!found) throw new ControlError(404, `no account ${ref}`)
		return found
	}
	const channel = (jid: string): Channel => {
		const found = channels.get(jid)
		if (!found) throw new ControlError(404, `no channel ${jid}`)
		return found
	}
	control.add('GET', '/control/newsletters', () => channels.list().map(channelView))
	control.add('POST', '/control/newsletters', (_p, b) => {
		const body = createBody.parse(b)
		return channelView(channels.create(account(body.owner).phone, body.name, body.description))
	})
	control.add('GET', '/control/newsletters/:jid', p => channelView(channel(p.jid!)))
	control.add('POST', '/control/newsletters/:jid/posts', (p, b) => {
		const c = channel(p.jid!)
		const post = channelPost(ctx, c, Buffer.from(proto.Message.encode({ conversation: postBody.parse(b).text }).finish()))
		return { serverId: post.serverId, id: post.id, t: post.t }
	})
	control.add('POST', '/control/newsletters/:jid/reactions', (p, b) => {
		const c = channel(p.jid!)
		const body = reactionBody.parse(b)
		const post = c.posts.find(x => x.serverId === body.serverId)
		if (!post) throw new ControlError(404, `no post ${body.serverId} in ${c.jid}`)
		channelReaction(ctx, c, post, account(body.from), body.code)
		return channelView(c)
	})
}
