/**
 * Business accounts of the emulated world: an account is a WhatsApp Business account when it has a
 * business profile (`account.business`). Its verified name stays where usync reads it (the user
 * state's `businessName`). The profile holds the catalog (products with image URLs of the media
 * store and a hidden flag) and the orders placed with the business.
 */
import { randomBytes } from 'node:crypto'
import type { Account } from './types.js'
import { userStateOf } from './users.js'

export interface BusinessCategory {
	id: string
	name: string
}

/** the categories WhatsApp offers businesses (a fixed subset of its list) */
export const BUSINESS_CATEGORIES: readonly BusinessCategory[] = [
	{ id: '133436743388217', name: 'Artist' },
	{ id: '2250', name: 'Automotive Service' },
	{ id: '1223524174334504', name: 'Beauty, Cosmetic & Personal Care' },
	{ id: '2213', name: 'Education' },
	{ id: '192119584190796', name: 'Event Planner' },
	{ id: '629', name: 'Finance' },
	{ id: '2234', name: 'Grocery Store' },
	{ id: '2214', name: 'Hotel' },
	{ id: '2248', name: 'Medical & Health' },
	{ id: '2252', name: 'Non-profit' },
	{ id: '2100', name: 'Other Business' },
	{ id: '2500', name: 'Professional Services' },
	{ id: '1067', name: 'Public Service' },
	{ id: '2235', name: 'Restaurant' },
	{ id: '200600219953504', name: 'Shopping & Retail' },
	{ id: '2211', name: 'Travel & Transportation' }
]

export interface CatalogProduct {
	/** WhatsApp's product id */
	id: string
	/** the merchant's own id (SKU), when given */
	retailerId?: string
	name: string
	description?: string
	/** price in thousandths of the currency unit, as WhatsApp carries it */
	price?: string
	currency?: string
	url?: string
	/** image URLs (the media store's download URLs) */
	images: string[]
	isHidden: boolean
	createdAt: number
}

export interface OrderItem {
	productId: string
	quantity: number
}

export interface Order {
	id: string
	/** base64 token the order message carries; needed to read the order */
	token: string
	seller: Account
	buyer: Account
	items: Array<OrderItem & { name: string; price: string; currency: string; imageUrl?: string }>
	createdAt: number
}

export interface BusinessProfile {
	description: string
	address?: string
	email?: string
	websites: string[]
	categoryIds: string[]
	catalog: Map<string, CatalogProduct>
	orders: Map<string, Order>
}

export interface BusinessSpec {
	name: string
	description?: string
	address?: string
	email?: string
	websites?: string[]
	categoryIds?: string[]
}

/** the account's business profile, or undefined for a personal account */
export function businessOf(account: Account | undefined): BusinessProfile | undefined {
	return account?.business
}

/** makes the account a business (or, with null, a personal account again); the verified name is usync's */
export function setBusiness(account: Account, spec: BusinessSpec | null): BusinessProfile | undefined {
	if (!spec) {
		account.business = undefined
		userStateOf(account).businessName = undefined
		return undefined
	}
	userStateOf(account).businessName = spec.name
	const existing = account.business
	const profile: BusinessProfile = {
		description: spec.description ?? existing?.description ?? '',
		address: spec.address ?? existing?.address,
		email: spec.email ?? existing?.email,
		websites: spec.websites ?? existing?.websites ?? [],
		categoryIds: spec.categoryIds ?? existing?.categoryIds ?? [BUSINESS_CATEGORIES[10]!.id],
		catalog: existing?.catalog ?? new Map(),
		orders: existing?.orders ?? new Map()
	}
	account.business = profile
	return profile
}

/** a new numeric id, the way WhatsApp numbers products and orders */
export function newBusinessId(): string {
	return String(BigInt('0x' + randomBytes(7).toString('hex')) + 1_000_000_000_000_000n)
}

/** a buyer orders products of a business's catalog: the order is kept with the seller */
export function placeOrder(seller: Account, buyer: Account, items: OrderItem[]): Order {
	const business = businessOf(seller)
	if (!business) throw new Error(`${seller.phone} is not a business account`)
	const lines = items.map(item => {
		const product = business.catalog.get(item.productId)
		if (!product) throw new Error(`no product ${item.productId} in ${seller.phone}'s catalog`)
		return { ...item, name: product.name, price: product.price ?? '0', currency: product.currency ?? 'USD', imageUrl: product.images[0] }
	})
	const order: Order = { id: newBusinessId(), token: randomBytes(24).toString('base64'), seller, buyer, items: lines, createdAt: Date.now() }
	business.orders.set(order.id, order)
	return order
}

/** finds an order by id among every business of the given accounts */
export function findOrder(accounts: Iterable<Account>, id: string): Order | undefined {
	for (const account of accounts) {
		const order = account.business?.orders.get(id)
		if (order) return order
	}
	return undefined
}
