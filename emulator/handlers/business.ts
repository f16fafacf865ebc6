/**
 * Business profiles (`iq xmlns="w:biz"`) and the thrift iq (`xmlns="fb:thrift_iq"`) that answers
 * order details and the business category list.
 *
 * - get `<business_profile v=…><profile jid=…/>…</business_profile>`: one `<profile jid tag>` per
 *   business asked about (address, description, website, email, categories, business_hours); a
 *   personal or unknown account gets no `<profile>`, as WhatsApp answers.
 * - set `<business_profile v="3" mutation_type="delta">` with address, email, description, website
 *   children: applied to the asking account's profile; 403 when it is not a business account, 400
 *   for a malformed email or an over-long field.
 * - thrift `<order op="get" id><token>…</token></order>`: the order's products and total; 404 for an
 *   unknown order, 401 for a wrong token, 403 when the asker is neither the seller nor the buyer.
 * - thrift `<request type="catkit" op="profile_typeahead"><query>…</query></request>`: categories
 *   whose name contains the query (all of them for an empty one).
 */
import { child, children, IqError, node, text } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { BUSINESS_CATEGORIES, type BusinessProfile, businessOf, findOrder } from '../world/business.js'
import type { Account } from '../world/types.js'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const DESCRIPTION_MAX = 512
export const ADDRESS_MAX = 256

function me(conn: ClientConnection): Account {
	const account = conn.device?.account
	if (!account) throw new IqError(401, 'not-authorized')
	return account
}

/** the asking account's business profile; 403 for a personal account */
export function ownBusiness(conn: ClientConnection): BusinessProfile {
	const business = businessOf(me(conn))
	if (!business) throw new IqError(403, 'forbidden')
	return business
}

function profileNode(account: Account, business: BusinessProfile) {
	const content = [
		node('description', {}, business.description),
		...(business.address ? [node('address', {}, business.address)] : []),
		...(business.email ? [node('email', {}, business.email)] : []),
		...business.websites.map(w => node('website', {}, w)),
		node(
			'categories',
			{},
			business.categoryIds.map(id => node('category', { id }, BUSINESS_CATEGORIES.find(c => c.id === id)?.name ?? id))
		),
		node('business_hours', { timezone: 'UTC' }, [node('business_hours_config', { day_of_week: 'mon', mode: 'open_24h' })])
	]
	return node('profile', { jid: `${account.phone}@s.whatsapp.net`, tag: String(account.createdAt) }, content)
}

export const businessProfileIq: IqHandler = (ctx, conn, iq) => {
	const request = child(iq, 'business_profile')
	if (!request) throw new IqError(400, 'bad-request')
	if (iq.attrs.type === 'get') {
		const profiles = children(request, 'profile').flatMap(p => {
			const account = ctx.world.resolveJid(p.attrs.jid)?.account
			const business = businessOf(account)
			return account && business ? [profileNode(account, business)] : []
		})
		return [node('business_profile', {}, profiles)]
	}
	const business = ownBusiness(conn)
	const fields = Array.isArray(request.content) ? request.content : []
	const next = { description: business.description, address: business.address, email: business.email, websites: [] as string[] }
	let websites = false
	for (const field of fields) {
		const value = text(field) ?? ''
		if (field.tag === 'description') {
			if ([...value].length > DESCRIPTION_MAX) throw new IqError(400, 'bad-request')
			next.description = value
		} else if (field.tag === 'address') {
			if ([...value].length > ADDRESS_MAX) throw new IqError(400, 'bad-request')
			next.address = value || undefined
		} else if (field.tag === 'email') {
			if (value && !EMAIL.test(value)) throw new IqError(400, 'bad-request')
			next.email = value || undefined
		} else if (field.tag === 'website') {
			websites = true
			if (value) next.websites.push(value)
		}
	}
	// every field is checked before any is applied: a refused update changes nothing
	business.description = next.description
	business.address = next.address
	business.email = next.email
	if (websites) business.websites = next.websites
	ctx.logger.debug({ phone: me(conn).phone }, 'business profile updated')
	return []
}

export const thriftIq: IqHandler = (ctx, conn, iq) => {
	const order = child(iq, 'order')
	if (order && order.attrs.op === 'get') {
		const account = me(conn)
		const found = order.attrs.id ? findOrder(ctx.world.accounts(), order.attrs.id) : undefined
		if (!found) throw new IqError(404, 'item-not-found')
		if (text(child(order, 'token')) !== found.token) throw new IqError(401, 'not-authorized')
		if (account !== found.seller && account !== found.buyer) throw new IqError(403, 'forbidden')
		const total = found.items.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0)
		return [
			node('order', { id: found.id, creation_ts: Math.floor(found.createdAt / 1000) }, [
				...found.items.map(item =>
					node('product', {}, [
						node('id', {}, item.productId),
						node('name', {}, item.name),
						node('image', {}, [node('url', {}, item.imageUrl ?? '')]),
						node('price', {}, item.price),
						node('currency', {}, item.currency),
						node('quantity', {}, String(item.quantity))
					])
				),
				node('price', {}, [node('total', {}, String(total)), node('currency', {}, found.items[0]?.currency ?? 'USD')])
			])
		]
	}
	const request = child(iq, 'request')
	if (request && request.attrs.type === 'catkit') {
		const query = (text(child(request, 'query')) ?? '').trim().toLowerCase()
		const matching = BUSINESS_CATEGORIES.filter(c => c.name.toLowerCase().includes(query))
		return [node('response', {}, [node('categories', {}, matching.map(c => node('category', { id: c.id }, c.name)))])]
	}
	throw new IqError(400, 'bad-request')
}
