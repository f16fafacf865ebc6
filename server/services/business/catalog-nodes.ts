import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys';

/**
 * Catalog products as WhatsApp carries them in `w:biz:catalog` iqs (the shapes Baileys'
 * productCreate/productUpdate/getCatalog use), plus the `<url>` child Baileys does not set and every
 * image of `<media>` (Baileys reads only the first).
 */

export interface ProductFields {
  retailerId?: string;
  name?: string;
  description?: string;
  url?: string;
  /** thousandths of the currency unit */
  price?: string;
  currency?: string;
  /** uploaded image URLs */
  images?: string[];
  isHidden?: boolean;
}

export interface ProductAnswer {
  Id: string;
  RetailerId: string | null;
  Name: string;
  Description: string | null;
  Price: string | null;
  Currency: string | null;
  Url: string | null;
  Images: string[];
  IsHidden: boolean;
  /** WhatsApp's review of the product (APPROVED, PENDING, REJECTED…). */
  ReviewStatus: string | null;
}

const leaf = (tag: string, value: string): BinaryNode => ({ tag, attrs: {}, content: Buffer.from(value) });

/** `<product [is_hidden]>` with the fields given, `<id>` first when editing. */
export function productNode(id: string | undefined, fields: ProductFields): BinaryNode {
  const content: BinaryNode[] = [];
  if (id !== undefined) content.push(leaf('id', id));
  if (fields.name !== undefined) content.push(leaf('name', fields.name));
  if (fields.description !== undefined) content.push(leaf('description', fields.description));
  if (fields.retailerId !== undefined) content.push(leaf('retailer_id', fields.retailerId));
  if (fields.url !== undefined) content.push(leaf('url', fields.url));
  if (fields.images?.length) {
    content.push({ tag: 'media', attrs: {}, content: fields.images.map((url) => ({ tag: 'image', attrs: {}, content: [leaf('url', url)] })) });
  }
  if (fields.price !== undefined) content.push(leaf('price', fields.price));
  if (fields.currency !== undefined) content.push(leaf('currency', fields.currency));
  const attrs: Record<string, string> = {};
  if (fields.isHidden !== undefined) attrs.is_hidden = String(fields.isHidden);
  return { tag: 'product', attrs, content };
}

function text(n: BinaryNode | undefined): string | undefined {
  const c = n?.content;
  if (typeof c === 'string') return c;
  if (c instanceof Uint8Array) return Buffer.from(c).toString('utf8');
  return undefined;
}
const childText = (n: BinaryNode | undefined, tag: string) => text(getBinaryNodeChild(n, tag));

/** "12.50" → "12500" (WhatsApp prices are thousandths of the unit). */
export function toThousandths(price: string): string {
  const [units, fraction = ''] = price.split('.');
  return (BigInt(units!) * 1000n + BigInt(fraction.padEnd(3, '0'))).toString();
}

/** "12500" → "12.50": at least two decimals, at most three. */
export function fromThousandths(raw: string): string {
  const value = BigInt(raw);
  const fraction = (value % 1000n).toString().padStart(3, '0').replace(/0$/, '');
  return `${value / 1000n}.${fraction}`;
}

export function parseProduct(n: BinaryNode): ProductAnswer {
  const price = childText(n, 'price');
  return {
    Id: childText(n, 'id') ?? '',
    RetailerId: childText(n, 'retailer_id') || null,
    Name: childText(n, 'name') ?? '',
    Description: childText(n, 'description') ?? null,
    Price: price && /^\d+$/.test(price) ? fromThousandths(price) : null,
    Currency: childText(n, 'currency') || null,
    Url: childText(n, 'url') || null,
    Images: getBinaryNodeChildren(getBinaryNodeChild(n, 'media'), 'image')
      .map((img) => childText(img, 'original_image_url') ?? childText(img, 'request_image_url') ?? childText(img, 'url'))
      .filter((u): u is string => Boolean(u)),
    IsHidden: n.attrs.is_hidden === 'true',
    ReviewStatus: childText(getBinaryNodeChild(n, 'status_info'), 'status') ?? null,
  };
}

/** The products of a `<product_catalog>` answer and its next-page cursor. */
export function parseCatalogPage(result: BinaryNode): { products: ProductAnswer[]; after: string | undefined } {
  const catalog = getBinaryNodeChild(result, 'product_catalog');
  return {
    products: getBinaryNodeChildren(catalog, 'product').map(parseProduct),
    after: childText(getBinaryNodeChild(catalog, 'paging'), 'after'),
  };
}
