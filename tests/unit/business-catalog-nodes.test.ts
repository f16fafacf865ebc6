import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromThousandths, parseCatalogPage, productNode, toThousandths } from '../../server/services/business/catalog-nodes';

test('prices: decimal amounts ↔ WhatsApp\'s thousandths, exactly (no floating point)', () => {
  assert.equal(toThousandths('12.50'), '12500');
  assert.equal(toThousandths('0.8'), '800');
  assert.equal(toThousandths('7'), '7000');
  assert.equal(toThousandths('999999999999.999'), '999999999999999');
  assert.equal(fromThousandths('12500'), '12.50');
  assert.equal(fromThousandths('800'), '0.80');
  assert.equal(fromThousandths('7000'), '7.00');
  assert.equal(fromThousandths('12345'), '12.345');
  assert.equal(fromThousandths('999999999999999'), '999999999999.999');
});

test('product nodes: only the fields given, is_hidden as an attribute, every image parsed back', () => {
  const edit = productNode('42', { isHidden: true });
  assert.deepEqual(edit.attrs, { is_hidden: 'true' });
  assert.deepEqual((edit.content as Array<{ tag: string }>).map((c) => c.tag), ['id']);
  const add = productNode(undefined, { name: 'Loaf', url: 'https://x.test', images: ['https://mmg.whatsapp.net/a', 'https://mmg.whatsapp.net/b'], price: '1000', currency: 'EUR' });
  assert.deepEqual(add.attrs, {});
  assert.deepEqual((add.content as Array<{ tag: string }>).map((c) => c.tag), ['name', 'url', 'media', 'price', 'currency']);

  const image = (url: string) => ({ tag: 'image', attrs: {}, content: [{ tag: 'request_image_url', attrs: {}, content: url }, { tag: 'original_image_url', attrs: {}, content: url }] });
  const page = parseCatalogPage({
    tag: 'iq',
    attrs: {},
    content: [
      {
        tag: 'product_catalog',
        attrs: {},
        content: [
          { tag: 'product', attrs: { is_hidden: 'true' }, content: [{ tag: 'id', attrs: {}, content: '7' }, { tag: 'name', attrs: {}, content: Buffer.from('Bun') }, { tag: 'price', attrs: {}, content: '800' }, { tag: 'media', attrs: {}, content: [image('u1'), image('u2')] }] },
          { tag: 'paging', attrs: {}, content: [{ tag: 'after', attrs: {}, content: 'NEXT' }] },
        ],
      },
    ],
  });
  assert.equal(page.after, 'NEXT');
  assert.deepEqual(page.products, [{ Id: '7', RetailerId: null, Name: 'Bun', Description: null, Price: '0.80', Currency: null, Url: null, Images: ['u1', 'u2'], IsHidden: true, ReviewStatus: null }]);
});
