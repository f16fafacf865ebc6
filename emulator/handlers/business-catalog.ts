/**
 * Product catalogs (`iq xmlns="w:biz:catalog"`), as Baileys' getCatalog/productCreate/productUpdate/
 * productDelete speak them:
 * - get `<product_catalog jid limit after>`: the business's products, newest first, `limit` a page with
 *   `<paging><after>` when more follow; hidden products only for the business itself; 404 when the jid
 *   is not a business account.
 * - set `<product_catalog_add v="1"><product is_hidden>…</product>`: adds a product (name required,
 *   images must be uploads of this server's media store); answers the stored product.
 * - set `<product_catalog_edit v="1"><product><id>…</id>…</product>`: changes the fields present
 *   (images replaced when `<media>` is present, `is_hidden` toggles visibility); 404 for an unknown id.
 * - set `<product_catalog_delete v="1"><product><id>…</id></product>…`: `deleted_count` of those found.
 * Every set is refused with 403 when the asking account is not a business account.
 */
import { type BinaryNode, child, children, IqError, node, text } from '../binary.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { type BusinessProfile, businessOf, type CatalogProduct, newBusinessId } from '../world/business.js'
import { ownBusiness } from './business.js'

const NAME_MAX = 150
const DESCRIPTION_MAX = 5000
const IMAGES_MAX = 10

/** the product as WhatsApp returns it in catalog answers */
export function productNode(p: CatalogProduct): BinaryNode {
	const optional = (tag: string, value: string | undefined) => (value !== undefined ? [node(tag, {}, value)] : [])
	return node('product', { is_hidden: String(p.isHidden) }, [
		node('id', {}, p.id),
		...optional('retailer_id', p.retailerId),
		node('name', {}, p.name),
		...optional('description', p.description),
		...optional('url', p.url),
		...optional('price', p.price),
		...optional('currency', p.currency),
		node(
			'media',
			{},
			p.images.map(url => node('image', {}, [node('request_image_url', {}, url), node('original_image_url', {}, url)]))
		),
		node('status_info', {}, [node('status', {}, 'APPROVED'), node('can_appeal', {}, 'false')]),
		node('availability', {}, 'in stock')
	])
}

/** image URLs of a `<media>` child, each resolved to an upload of the media store (400 otherwise) */
function imageUrls(ctx: EmulatorContext, media: BinaryNode | undefined): string[] {
	const urls = children(media, 'image').map(img => text(child(img, 'url')) ?? '')
	if (urls.length > IMAGES_MAX) throw new IqError(400, 'bad-request')
	return urls.map(url => {
		const stored = ctx.services.media.resolve(url)
		if (!stored) throw new IqError(400, 'bad-request')
		return `${ctx.httpBase()}/v/t62.7118-24/${stored.id}`
	})
}

/** the fields a `<product>` node sets, checked (400) before anything is stored */
function productFields(ctx: EmulatorContext, product: BinaryNode): Partial<CatalogProduct> {
	const fields: Partial<CatalogProduct> = {}
	const str = (tag: string) => {
		const c = child(product, tag)
		return c ? (text(c) ?? '') : undefined
	}
	const name = str('name')
	if (name !== undefined) {
		if (!name.trim() || [...name].length > NAME_MAX) throw new IqError(400, 'bad-request')
		fields.name = name
	}
	const description = str('description')
	if (description !== undefined) {
		if ([...description].length > DESCRIPTION_MAX) throw new IqError(400, 'bad-request')
		fields.description = description
	}
	const price = str('price')
	if (price !== undefined) {
		if (!/^\d{1,15}$/.test(price)) throw new IqError(400, 'bad-request')
		fields.price = price
	}
	const currency = str('currency')
	if (currency !== undefined) {
		if (!/^[A-Z]{3}$/.test(currency)) throw new IqError(400, 'bad-request')
		fields.currency = currency
	}
	const url = str('url')
	if (url !== undefined) fields.url = url
	const retailerId = str('retailer_id')
	if (retailerId !== undefined) fields.retailerId = retailerId
	const media = child(product, 'media')
	if (media) fields.images = imageUrls(ctx, media)
	if (product.attrs.is_hidden !== undefined) fields.isHidden = product.attrs.is_hidden === 'true'
	return fields
}

function catalogPage(business: BusinessProfile, own: boolean, request: BinaryNode): BinaryNode {
	const limit = Math.max(1, Math.min(Number(text(child(request, 'limit')) ?? 10) || 10, 500))
	const after = text(child(request, 'after'))
	const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0
	const visible = [...business.catalog.values()].filter(p => own || !p.isHidden).sort((a, b) => b.createdAt - a.createdAt)
	const page = visible.slice(start, start + limit)
	const more = start + limit < visible.length
	return node('product_catalog', {}, [
		...page.map(productNode),
		...(more ? [node('paging', {}, [node('after', {}, Buffer.from(String(start + limit)).toString('base64url'))])] : [])
	])
}

let createdSeq = 0

export const catalogIq: IqHandler = (ctx, conn, iq) => {
	const list = child(iq, 'product_catalog')
	if (iq.attrs.type === 'get' && list) {
		const target = ctx.world.resolveJid(list.attrs.jid)?.account
		const business = businessOf(target)
		if (!target || !business) throw new IqError(404, 'item-not-found')
		return [catalogPage(business, target === conn.device?.account, list)]
	}
	if (iq.attrs.type !== 'set') throw new IqError(400, 'bad-request')
	const business = ownBusiness(conn)
	const add = child(iq, 'product_catalog_add')
	if (add) {
		const fields = productFields(ctx, child(add, 'product') ?? node('product'))
		if (!fields.name) throw new IqError(400, 'bad-request')
		const product: CatalogProduct = { images: [], isHidden: false, ...fields, name: fields.name, id: newBusinessId(), createdAt: Date.now() * 1000 + (createdSeq++ % 1000) }
		business.catalog.set(product.id, product)
		return [node('product_catalog_add', {}, [productNode(product)])]
	}
	const edit = child(iq, 'product_catalog_edit')
	if (edit) {
		const requested = child(edit, 'product')
		const product = business.catalog.get(text(child(requested, 'id')) ?? '')
		if (!requested || !product) throw new IqError(404, 'item-not-found')
		Object.assign(product, productFields(ctx, requested))
		return [node('product_catalog_edit', {}, [productNode(product)])]
	}
	const remove = child(iq, 'product_catalog_delete')
	if (remove) {
		let deleted = 0
		for (const p of children(remove, 'product')) if (business.catalog.delete(text(child(p, 'id')) ?? '')) deleted++
		return [node('product_catalog_delete', { deleted_count: deleted })]
	}
	throw new IqError(400, 'bad-request')
}
