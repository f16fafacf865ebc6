import { getBinaryNodeChild, S_WHATSAPP_NET, type BinaryNode } from 'baileys';
import { badRequest, notFound } from '../../http/errors';
import { userJid } from '../users/lookup.service';
import { askWhatsApp, businessAccount, type BusinessAccount } from './business-account';
import { parseCatalogPage, parseProduct, productNode, toThousandths, type ProductAnswer, type ProductFields } from './catalog-nodes';
import { uploadProductImages } from './product-images';

/** A business's product catalog: add, change, list, read, delete, show and hide products. */

export interface ProductInput {
  Id?: string;
  Name?: string;
  Images?: string[];
  Description?: string;
  Price?: string;
  Currency?: string;
  Url?: string;
  IsHidden?: boolean;
}

/** Pages a catalog listing reads at most (100 products each). */
const MAX_PAGES = 50;
const PAGE_SIZE = 100;

const noProduct = (id: string) => () => notFound(`Id: there is no product ${id} in this account's catalog`);
const refusedFields = () => badRequest('Name, Description, Price, Currency, Url or Images: WhatsApp refused the product (bad-request)');

function catalogIq(content: BinaryNode): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: S_WHATSAPP_NET, type: 'set', xmlns: 'w:biz:catalog' },
    content: [
      content,
      { tag: 'width', attrs: {}, content: '100' },
      { tag: 'height', attrs: {}, content: '100' },
    ],
  };
}

async function fieldsOf(account: BusinessAccount, input: ProductInput): Promise<ProductFields> {
  if (input.Price !== undefined && input.Currency === undefined) throw badRequest('Currency: is required with Price');
  const fields: ProductFields = {
    name: input.Name,
    description: input.Description,
    url: input.Url,
    price: input.Price === undefined ? undefined : toThousandths(input.Price),
    currency: input.Currency,
    isHidden: input.IsHidden,
  };
  if (input.Images?.length) fields.images = await uploadProductImages(account.sock, input.Images);
  return fields;
}

/** Adds a product (`Id`, when given, is the merchant's own id: WhatsApp's `retailer_id`). */
export async function createProduct(sessionId: string, input: ProductInput & { Name: string }): Promise<ProductAnswer> {
  const account = await businessAccount(sessionId);
  const fields = { ...(await fieldsOf(account, input)), retailerId: input.Id, isHidden: input.IsHidden ?? false };
  const result = await askWhatsApp(() => account.sock.query(catalogIq({ tag: 'product_catalog_add', attrs: { v: '1' }, content: [productNode(undefined, fields)] })), { 400: refusedFields });
  return answerProduct(result, 'product_catalog_add');
}

/** Changes the fields given of product `Id` (Images replaces every image). */
export async function editProduct(sessionId: string, input: ProductInput & { Id: string }): Promise<ProductAnswer> {
  const account = await businessAccount(sessionId);
  const fields = await fieldsOf(account, input);
  return editFields(account, input.Id, fields);
}

async function editFields(account: BusinessAccount, id: string, fields: ProductFields): Promise<ProductAnswer> {
  const result = await askWhatsApp(() => account.sock.query(catalogIq({ tag: 'product_catalog_edit', attrs: { v: '1' }, content: [productNode(id, fields)] })), {
    404: noProduct(id),
    400: refusedFields,
  });
  return answerProduct(result, 'product_catalog_edit');
}

function answerProduct(result: BinaryNode, tag: string): ProductAnswer {
  const product = getBinaryNodeChild(getBinaryNodeChild(result, tag), 'product');
  if (!product) throw new Error(`WhatsApp answered ${tag} without the product`);
  return parseProduct(product);
}

/** Shows (`hidden: false`) or hides a product: customers do not see a hidden product in the catalog. */
export async function setProductHidden(sessionId: string, id: string, hidden: boolean): Promise<ProductAnswer> {
  const account = await businessAccount(sessionId);
  return editFields(account, id, { isHidden: hidden });
}

/** Deletes product `Id`; 404 when the catalog has no such product. */
export async function deleteProduct(sessionId: string, id: string): Promise<{ Details: string; Id: string }> {
  const { sock } = await businessAccount(sessionId);
  const { deleted } = await askWhatsApp(() => sock.productDelete([id]));
  if (deleted < 1) throw noProduct(id)();
  return { Details: 'Product deleted', Id: id };
}

export interface CatalogAnswer {
  Jid: string;
  Products: ProductAnswer[];
}

/** Every product of a business's catalog (this account's without `Jid`: its hidden products too). */
export async function listCatalog(sessionId: string, rawJid: string | undefined): Promise<CatalogAnswer> {
  const account = await businessAccount(sessionId);
  const jid = rawJid ? userJid(rawJid, 'Jid') : account.jid;
  const products: ProductAnswer[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const next = await catalogPage(account, jid, rawJid, after);
    products.push(...next.products);
    after = next.after;
    if (!after) break;
  }
  return { Jid: jid, Products: products };
}

/** One product of a business's catalog; 404 when it has none with that id (or it is hidden from this account). */
export async function catalogProduct(sessionId: string, rawJid: string | undefined, id: string): Promise<ProductAnswer & { Jid: string }> {
  const { Jid, Products } = await listCatalog(sessionId, rawJid);
  const product = Products.find((p) => p.Id === id);
  if (!product) throw notFound(`Id: there is no product ${id} in the catalog of ${Jid}`);
  return { ...product, Jid };
}

async function catalogPage(account: BusinessAccount, jid: string, rawJid: string | undefined, after: string | undefined) {
  const params: BinaryNode[] = [
    { tag: 'limit', attrs: {}, content: Buffer.from(String(PAGE_SIZE)) },
    { tag: 'width', attrs: {}, content: Buffer.from('100') },
    { tag: 'height', attrs: {}, content: Buffer.from('100') },
  ];
  if (after) params.push({ tag: 'after', attrs: {}, content: after });
  const result = await askWhatsApp(
    () => account.sock.query({ tag: 'iq', attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:biz:catalog' }, content: [{ tag: 'product_catalog', attrs: { jid, allow_shop_source: 'true' }, content: params }] }),
    { 404: () => notFound(`Jid: ${rawJid ?? jid} is not a WhatsApp Business account with a catalog`) },
  );
  return parseCatalogPage(result);
}
