import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { dataUrl, jpeg, png } from '../fixtures/media/generate';
import type { CatalogProduct } from '../../emulator/world/business';
import type { ProductAnswer } from '../../server/services/business/catalog-nodes';

/** Catalog routes and order details against the emulator: the product really is in the emulated catalog, hidden when hidden. */

let env: EmulatedWago;
let token: string;

type Product = ProductAnswer;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'business-catalog');
  const res = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/business`, { method: 'PUT', body: JSON.stringify({ name: 'Owner Bakery', description: 'Bread' }) });
  assert.equal(res.status, 200);
});
after(async () => {
  await env?.stop();
});

const catalog = async (): Promise<CatalogProduct[]> => (await (await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/catalog`)).json()) as CatalogProduct[];
const held = async (id: string) => (await catalog()).find((p) => p.id === id);
const call = <T>(path: string, body: Record<string, unknown>) => env.wago.call<T>('POST', path, { token, body });
let loafId = '';
let first: Buffer;

test('/business/catalog/create: the product with its uploaded images is in the emulated catalog; bad input is a 400 naming the field and adds nothing', async () => {
  first = await jpeg(120, 90);
  const second = await png(80, 80);
  const r = await call<Product>('/business/catalog/create', {
    Id: 'SKU-LOAF', Name: 'Sourdough loaf', Description: 'Baked this morning', Price: '12.50', Currency: 'EUR', Url: 'https://bakery.test/loaf',
    Images: [first.toString('base64'), dataUrl('image/png', second)],
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const p = r.body.data!;
  assert.match(p.Id, /^\d+$/);
  assert.deepEqual({ ...p, Id: undefined, Images: p.Images.length }, {
    Id: undefined, RetailerId: 'SKU-LOAF', Name: 'Sourdough loaf', Description: 'Baked this morning', Price: '12.50', Currency: 'EUR',
    Url: 'https://bakery.test/loaf', Images: 2, IsHidden: false, ReviewStatus: 'APPROVED',
  });
  loafId = p.Id;
  const stored = await held(loafId);
  assert.ok(stored, 'the emulated catalog holds the product');
  assert.equal(stored.name, 'Sourdough loaf');
  assert.equal(stored.price, '12500', 'WhatsApp carries prices in thousandths');
  assert.equal(stored.isHidden, false);
  assert.deepEqual(stored.images, p.Images);
  // the images are the media store's uploads, served back as they were sent
  assert.deepEqual(Buffer.from(await (await fetch(stored.images[0]!)).arrayBuffer()), first);
  assert.deepEqual(Buffer.from(await (await fetch(stored.images[1]!)).arrayBuffer()), second);

  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ Price: '1.00', Currency: 'EUR' }, /^Name is required/],
    [{ Name: '  ' }, /^Name: /],
    [{ Name: 'Bun', Price: '1.00' }, /^Currency: is required with Price/],
    [{ Name: 'Bun', Price: 'cheap', Currency: 'EUR' }, /^Price: /],
    [{ Name: 'Bun', Price: '1.00', Currency: 'euro' }, /^Currency: /],
    [{ Name: 'Bun', Url: 'ftp://x' }, /^Url: /],
    [{ Name: 'Bun', Images: ['bm90IGFuIGltYWdl'] }, /^Images\[0\]: /],
    [{ Name: 'Bun', Images: [first.toString('base64'), 'bm90IGFuIGltYWdl'] }, /^Images\[1\]: /],
    [{ Name: 'Bun', IsHidden: 'yes' }, /^IsHidden: /],
  ];
  for (const [body, message] of refused) {
    const bad = await call('/business/catalog/create', body);
    assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(bad.body)}`);
    assert.match(bad.body.error!, message);
  }
  assert.equal((await catalog()).length, 1, 'nothing was added');
});

test('/business/catalog/list and /info: this account\'s products; 404 for an unknown product or a personal account\'s catalog', async () => {
  const bun = await call<Product>('/business/catalog/create', { Name: 'Bun', Price: '0.8', Currency: 'EUR', IsHidden: true });
  assert.equal(bun.status, 200, JSON.stringify(bun.body));
  assert.equal(bun.body.data!.IsHidden, true);
  assert.equal(bun.body.data!.Price, '0.80');
  assert.equal((await held(bun.body.data!.Id))?.isHidden, true);

  const list = await call<{ Jid: string; Products: Product[] }>('/business/catalog/list', {});
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.data!.Jid, `${OWNER_PHONE}@s.whatsapp.net`);
  assert.deepEqual(list.body.data!.Products.map((p) => [p.Name, p.IsHidden]).sort(), [['Bun', true], ['Sourdough loaf', false]], 'the business sees its hidden products');

  const info = await call<Product & { Jid: string }>('/business/catalog/info', { Id: loafId });
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.data!.Name, 'Sourdough loaf');
  assert.equal(info.body.data!.Images.length, 2);
  const byJid = await call<Product>('/business/catalog/info', { Jid: OWNER_PHONE, Id: loafId });
  assert.equal(byJid.status, 200, JSON.stringify(byJid.body));

  const unknown = await call('/business/catalog/info', { Id: '999' });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error!, /^Id: /);
  const personal = await call('/business/catalog/list', { Jid: ALICE });
  assert.equal(personal.status, 404);
  assert.match(personal.body.error!, /^Jid: .*not a WhatsApp Business account/);
  const noId = await call('/business/catalog/info', {});
  assert.equal(noId.status, 400);
  assert.match(noId.body.error!, /^Id is required/);
});

test('/business/catalog/list and /info with Jid: another business\'s catalog as its customers see it, without its hidden products', async () => {
  const BOB = '15550002002';
  const put = (path: string, method: string, body: unknown) => fetch(`${env.emu.url}/control/accounts/${BOB}/${path}`, { method, body: JSON.stringify(body) });
  assert.equal((await put('business', 'PUT', { name: 'Bob Bikes' })).status, 200);
  const bike = (await (await put('catalog', 'POST', { name: 'Bike', price: '150000', currency: 'USD' })).json()) as CatalogProduct;
  const secret = (await (await put('catalog', 'POST', { name: 'Prototype', isHidden: true })).json()) as CatalogProduct;
  const list = await call<{ Jid: string; Products: Product[] }>('/business/catalog/list', { Jid: BOB });
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.data!.Jid, `${BOB}@s.whatsapp.net`);
  assert.deepEqual(list.body.data!.Products.map((p) => [p.Id, p.Name, p.Price, p.Currency]), [[bike.id, 'Bike', '150.00', 'USD']]);
  const hidden = await call('/business/catalog/info', { Jid: BOB, Id: secret.id });
  assert.equal(hidden.status, 404, 'a hidden product is not shown to customers');
  assert.match(hidden.body.error!, /^Id: /);
});

test('/business/catalog/hide and /show toggle is_hidden in the emulated catalog', async () => {
  const hide = await call<Product>('/business/catalog/hide', { Id: loafId });
  assert.equal(hide.status, 200, JSON.stringify(hide.body));
  assert.equal(hide.body.data!.IsHidden, true);
  assert.equal((await held(loafId))?.isHidden, true);
  assert.equal((await held(loafId))?.name, 'Sourdough loaf', 'hiding changes nothing else');
  const show = await call<Product>('/business/catalog/show', { Id: loafId });
  assert.equal(show.status, 200, JSON.stringify(show.body));
  assert.equal(show.body.data!.IsHidden, false);
  assert.equal((await held(loafId))?.isHidden, false);
  for (const path of ['/business/catalog/hide', '/business/catalog/show']) {
    const unknown = await call(path, { Id: '12345' });
    assert.equal(unknown.status, 404, path);
    assert.match(unknown.body.error!, /^Id: /);
    const bad = await call(path, { Id: 'abc' });
    assert.equal(bad.status, 400, path);
    assert.match(bad.body.error!, /^Id: /);
  }
});

test('/business/catalog/edit changes the fields given (images replaced) in the emulated catalog', async () => {
  const image = await jpeg(60, 60);
  const r = await call<Product>('/business/catalog/edit', { Id: loafId, Name: 'Rye loaf', Price: '9.99', Currency: 'EUR', Images: [image.toString('base64')] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Name, 'Rye loaf');
  assert.equal(r.body.data!.Price, '9.99');
  assert.equal(r.body.data!.Description, 'Baked this morning', 'fields not given stay');
  const stored = await held(loafId);
  assert.equal(stored?.name, 'Rye loaf');
  assert.equal(stored?.price, '9990');
  assert.equal(stored?.images.length, 1);
  assert.deepEqual(Buffer.from(await (await fetch(stored!.images[0]!)).arrayBuffer()), image);
  const bad = await call('/business/catalog/edit', { Id: loafId, Price: '1' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error!, /^Currency: /);
  const badId = await call('/business/catalog/edit', { Id: 'SKU-LOAF', Name: 'x' });
  assert.equal(badId.status, 400);
  assert.match(badId.body.error!, /^Id: /);
  const noId = await call('/business/catalog/edit', { Name: 'x' });
  assert.equal(noId.status, 400);
  assert.match(noId.body.error!, /^Id is required/);
  const unknown = await call('/business/catalog/edit', { Id: '4242', Name: 'x' });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error!, /^Id: /);
  assert.equal((await held(loafId))?.name, 'Rye loaf', 'refused edits changed nothing');
});

test('/business/order/details: the order a customer placed, read with its token; 404 unknown, 403 wrong token', async () => {
  const placed = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/orders`, { method: 'POST', body: JSON.stringify({ buyer: ALICE, items: [{ productId: loafId, quantity: 2 }] }) });
  assert.equal(placed.status, 200);
  const order = (await placed.json()) as { id: string; token: string };
  const r = await call<{ OrderId: string; Total: string; Currency: string; Products: Array<Record<string, unknown>> }>('/business/order/details', { OrderId: order.id, Token: order.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.OrderId, order.id);
  assert.equal(r.body.data!.Total, '19.98');
  assert.equal(r.body.data!.Currency, 'EUR');
  assert.deepEqual(r.body.data!.Products.map((p) => ({ ...p, ImageUrl: typeof p.ImageUrl })), [{ Id: loafId, Name: 'Rye loaf', ImageUrl: 'string', Price: '9.99', Currency: 'EUR', Quantity: 2 }]);

  const wrongToken = await call('/business/order/details', { OrderId: order.id, Token: 'd3Jvbmc=' });
  assert.equal(wrongToken.status, 403);
  assert.match(wrongToken.body.error!, /^Token: /);
  const unknown = await call('/business/order/details', { OrderId: '77', Token: order.token });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error!, /^OrderId: /);
  const missing = await call('/business/order/details', { OrderId: order.id });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error!, /^Token/);
});

test('/business/catalog/delete removes the product from the emulated catalog; 404 once gone', async () => {
  const r = await call<{ Details: string; Id: string }>('/business/catalog/delete', { Id: loafId });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.data, { Details: 'Product deleted', Id: loafId });
  assert.equal(await held(loafId), undefined);
  const again = await call('/business/catalog/delete', { Id: loafId });
  assert.equal(again.status, 404);
  assert.match(again.body.error!, /^Id: /);
  const info = await call('/business/catalog/info', { Id: loafId });
  assert.equal(info.status, 404);
  const noId = await call('/business/catalog/delete', {});
  assert.equal(noId.status, 400);
  assert.match(noId.body.error!, /^Id is required/);
});
