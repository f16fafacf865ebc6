/**
 * Registers the business iqs and the control routes that show a business's profile and catalog and
 * place orders with it (as a buyer's phone does), so order details can be read.
 */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import { businessOf, BUSINESS_CATEGORIES, type CatalogProduct, newBusinessId, placeOrder } from '../world/business.js'
import type { Account } from '../world/types.js'
import { userStateOf } from '../world/users.js'
import { businessProfileIq, thriftIq } from './business.js'
import { catalogIq } from './business-catalog.js'

const productBody = z.object({
	name: z.string().min(1),
	description: z.string().optional(),
	price: z.string().regex(/^\d+$/).optional(),
	currency: z.string().regex(/^[A-Z]{3}$/).optional(),
	isHidden: z.boolean().default(false)
})
const orderBody = z.object({
	buyer: z.string().min(1),
	items: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().min(1) })).min(1)
})

export function installBusiness(ctx: EmulatorContext, control: ControlHttp): void {
	ctx.iq.set('w:biz', businessProfileIq)
	ctx.iq.set('w:biz:catalog', catalogIq)
	ctx.iq.set('fb:thrift_iq', thriftIq)
	const account = (ref: string): Account => {
		const found = ctx.world.findAccount(ref)
		if (!found) throw new ControlError(404, `no account ${ref}`)
		return found
	}
	const business = (ref: string) => {
		const a = account(ref)
		const found = businessOf(a)
		if (!found) throw new ControlError(404, `${a.phone} is not a business account`)
		return { a, found }
	}
	control.add('GET', '/control/accounts/:phone/business', p => {
		const { a, found } = business(p.phone!)
		return {
			phone: a.phone,
			name: userStateOf(a).businessName ?? null,
			description: found.description,
			address: found.address ?? null,
			email: found.email ?? null,
			websites: found.websites,
			categories: found.categoryIds.map(id => BUSINESS_CATEGORIES.find(c => c.id === id) ?? { id, name: id })
		}
	})
	control.add('GET', '/control/accounts/:phone/catalog', p => [...business(p.phone!).found.catalog.values()])
	// the business's phone adds a product in its app (price in thousandths, as WhatsApp carries it)
	control.add('POST', '/control/accounts/:phone/catalog', (p, b) => {
		const { found } = business(p.phone!)
		const body = productBody.parse(b)
		const product: CatalogProduct = { ...body, id: newBusinessId(), images: [], createdAt: Date.now() * 1000 }
		found.catalog.set(product.id, product)
		return product
	})
	// a buyer's phone orders products of the business's catalog
	control.add('POST', '/control/accounts/:phone/orders', (p, b) => {
		const { a } = business(p.phone!)
		const body = orderBody.parse(b)
		try {
			const order = placeOrder(a, account(body.buyer), body.items)
			return { id: order.id, token: order.token, seller: order.seller.phone, buyer: order.buyer.phone, items: order.items }
		} catch (error) {
			if (error instanceof ControlError) throw error
			throw new ControlError(400, error instanceof Error ? error.message : String(error))
		}
	})
}
