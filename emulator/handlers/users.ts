/**
 * Users beyond messaging: broadcast lists an account owns (`iq xmlns="w:b"`), profile pictures
 * served over HTTP at the URL `w:profile:picture` hands out, and the control API that sets and
 * shows what a phone holds (business name, broadcast lists, blocklist, presence subscriptions).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { child, IqError, node, pnJid } from '../binary.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import type { Account } from '../world/types.js'
import { type BroadcastList, userStateOf } from '../world/users.js'
import { setBusiness } from '../world/business.js'
import { notifyBlocklist } from './iq-misc.js'
import { announcePresence } from './presence.js'

const listId = (raw: string): string => raw.replace(/@broadcast$/, '')

/**
 * get `<list id=…/>`: the list's name and recipients (`<recipient jid lid/>`), 404 when the
 * account owns no such list; set `<delete><list id=…/></delete>` deletes it.
 */
export const broadcastIq: IqHandler = (ctx, conn, iq) => {
	const account = conn.device?.account
	if (!account) throw new IqError(401, 'not-authorized')
	const lists = userStateOf(account).broadcastLists
	if (iq.attrs.type === 'set') {
		const id = child(child(iq, 'delete'), 'list')?.attrs.id
		if (!id) throw new IqError(400, 'bad-request')
		if (!lists.delete(listId(id))) throw new IqError(404, 'item-not-found')
		return []
	}
	const id = child(iq, 'list')?.attrs.id
	if (!id) throw new IqError(400, 'bad-request')
	const list = lists.get(listId(id))
	if (!list) throw new IqError(404, 'item-not-found')
	return [
		node(
			'list',
			{ id: `${list.id}@broadcast`, name: list.name },
			list.recipients.map(jid => {
				const other = ctx.world.findAccount(jid)
				return node('recipient', { jid, lid: other ? `${other.lid}@lid` : undefined })
			})
		)
	]
}

/** serves `/pp/<phone>.jpg`, the profile picture URL handed out by `w:profile:picture` */
export function profilePictureHttp(ctx: EmulatorContext) {
	return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
		const match = /^\/pp\/(\d+)\.jpg$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname)
		if (!match || req.method !== 'GET') return false
		const picture = ctx.world.getByPhone(match[1]!)?.picture
		if (!picture) {
			res.writeHead(404)
			res.end()
			return true
		}
		res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': picture.length })
		res.end(picture)
		return true
	}
}

export interface ProfileView {
	phone: string
	name: string
	statusText: string
	businessName: string | null
	pictureId: string | null
	/** the current picture (JPEG, base64) */
	picture: string | null
	presence: string
	lastSeen: number
	blocklist: string[]
	presenceSubscribers: string[]
}

const businessBody = z.object({
	name: z.string().min(1).nullable(),
	description: z.string().optional(),
	address: z.string().optional(),
	email: z.string().optional(),
	websites: z.array(z.string()).optional(),
	categoryIds: z.array(z.string()).optional()
})
const listBody = z.object({ id: z.string().regex(/^\d{1,20}$/).optional(), name: z.string().min(1), recipients: z.array(z.string()).min(1) })
const blockBody = z.object({ jid: z.string(), action: z.enum(['block', 'unblock']) })
const subscribeBody = z.object({ to: z.string() })
const pictureBody = z.object({ data: z.string().min(1).nullable() })
const phonePresenceBody = z.object({ type: z.enum(['available', 'unavailable']) })

/** registers the broadcast-list iq, the picture URL and the control routes of this module */
export function installUsers(ctx: EmulatorContext, control: ControlHttp, extraHttp: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>): void {
	ctx.iq.set('w:b', broadcastIq)
	extraHttp.push(profilePictureHttp(ctx))
	const account = (ref: string): Account => {
		const found = ctx.world.findAccount(ref)
		if (!found) throw new ControlError(404, `no account ${ref}`)
		return found
	}
	const view = (a: Account): ProfileView => {
		const state = userStateOf(a)
		return {
			phone: a.phone,
			name: a.name,
			statusText: a.statusText,
			businessName: state.businessName ?? null,
			pictureId: state.pictureId ?? null,
			picture: a.picture ? a.picture.toString('base64') : null,
			presence: a.presence,
			lastSeen: a.lastSeen,
			blocklist: [...a.blocklist],
			presenceSubscribers: [...state.presenceSubscribers]
		}
	}
	control.add('GET', '/control/accounts/:phone/profile', p => view(account(p.phone!)))
	control.add('PUT', '/control/accounts/:phone/business', (p, b) => {
		const a = account(p.phone!)
		const { name, ...profile } = businessBody.parse(b)
		// a verified name makes the account a business account (with a business profile); null a personal one
		setBusiness(a, name ? { name, ...profile } : null)
		return view(a)
	})
	// the phone sets (or, with null, removes) its own profile picture
	control.add('PUT', '/control/accounts/:phone/picture', (p, b) => {
		const a = account(p.phone!)
		const data = pictureBody.parse(b).data
		a.picture = data ? Buffer.from(data, 'base64') : undefined
		userStateOf(a).pictureId = a.picture ? String(Date.now()) : undefined
		return view(a)
	})
	control.add('GET', '/control/accounts/:phone/broadcast-lists', p => [...userStateOf(account(p.phone!)).broadcastLists.values()])
	control.add('POST', '/control/accounts/:phone/broadcast-lists', (p, b) => {
		const owner = account(p.phone!)
		const body = listBody.parse(b)
		const lists = userStateOf(owner).broadcastLists
		const id = body.id ?? String(Date.now() * 1000 + lists.size)
		const list: BroadcastList = { id, name: body.name, recipients: body.recipients.map(r => pnJid(account(r).phone)) }
		lists.set(id, list)
		return { ...list, jid: `${id}@broadcast` }
	})
	// the phone blocks or unblocks someone: its linked devices are told
	control.add('POST', '/control/accounts/:phone/blocklist', (p, b) => {
		const a = account(p.phone!)
		const body = blockBody.parse(b)
		const target = account(body.jid)
		if (body.action === 'block') a.blocklist.add(pnJid(target.phone))
		else a.blocklist.delete(pnJid(target.phone))
		notifyBlocklist(ctx, a, `${target.lid}@lid`, body.action)
		return view(a)
	})
	// the phone subscribes to another account's presence (as opening its chat does)
	control.add('POST', '/control/accounts/:phone/presence-subscriptions', (p, b) => {
		const subscriber = account(p.phone!)
		const target = account(subscribeBody.parse(b).to)
		userStateOf(target).presenceSubscribers.add(subscriber.phone)
		return view(target)
	})
	control.add('GET', '/control/accounts/:phone/presences', p => [...userStateOf(account(p.phone!)).presencesSeen])
	// the phone itself goes online/offline: accounts subscribed to it see it
	control.add('POST', '/control/accounts/:phone/online', (p, b) => {
		const a = account(p.phone!)
		announcePresence(ctx, a, phonePresenceBody.parse(b).type)
		return view(a)
	})
}
