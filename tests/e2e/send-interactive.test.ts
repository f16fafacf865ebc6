import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { proto } from 'baileys';
import { decryptMedia } from '../../emulator/media/store';
import { startEmulatedWago, waitFor, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';

/** The interactive sends (buttons, template, list, media button, location, PIX, review-and-pay, carousels) against the emulator. */

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
type FlowButton = proto.Message.InteractiveMessage.NativeFlowMessage.INativeFlowButton;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'interactive');
});
after(async () => {
  await env?.stop();
});

let lastId = '';
async function sendAndReceive(path: string, body: Record<string, unknown>): Promise<proto.Message> {
  const r = await env.wago.call<{ Id: string; Jid: string; Lid: string | null; Status: string }>('POST', path, { token, body: { Phone: ALICE, ...body } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Jid, `${ALICE}@s.whatsapp.net`);
  assert.match(r.body.data!.Lid ?? '', /@lid$/);
  lastId = r.body.data!.Id;
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === lastId, timeoutMs: 15_000 });
  return proto.Message.fromObject(got.message);
}

const flow = (buttons: FlowButton[] | null | undefined) => (buttons ?? []).map((b) => ({ name: b.name, params: JSON.parse(b.buttonParamsJson ?? '{}') as Record<string, unknown> }));
const imageUrl = async (color: string) => `data:image/png;base64,${(await sharp({ create: { width: 64, height: 48, channels: 3, background: color } }).png().toBuffer()).toString('base64')}`;

test('POST /send/buttons: interactiveMessage with header, body, footer and native-flow buttons of every kind', async () => {
  const m = await sendAndReceive('/send/buttons', {
    Title: 'Order #42',
    Content: 'What next?',
    Footer: 'Bakery',
    Buttons: [
      { Id: 'track', Text: 'Track' },
      { Type: 'url', Text: 'Site', Url: 'https://example.org/o/42' },
      { Type: 'copy', Text: 'Copy code', Code: 'PROMO10' },
      { Type: 'call', Text: 'Call us', Phone: '+5511999990000' },
    ],
  });
  const im = m.interactiveMessage!;
  assert.equal(im.header?.title, 'Order #42');
  assert.equal(im.body?.text, 'What next?');
  assert.equal(im.footer?.text, 'Bakery');
  assert.deepEqual(flow(im.nativeFlowMessage?.buttons), [
    { name: 'quick_reply', params: { display_text: 'Track', id: 'track' } },
    { name: 'cta_url', params: { display_text: 'Site', url: 'https://example.org/o/42', merchant_url: 'https://example.org/o/42' } },
    { name: 'cta_copy', params: { display_text: 'Copy code', id: 'PROMO10', copy_code: 'PROMO10' } },
    { name: 'cta_call', params: { display_text: 'Call us', phone_number: '+5511999990000' } },
  ]);
  // Like every send, it is in the message store with its status.
  const id = lastId;
  const stored = await waitFor('stored', async () => {
    const s = await env.wago.call<{ Status: string; FromMe: boolean }>('POST', '/message/status', { token, body: { Id: id } });
    return s.status === 200 ? s.body.data : undefined;
  });
  assert.equal(stored.FromMe, true);
});

test('POST /send/template: hydrated template with title, content, footer and buttons (one object accepted)', async () => {
  const m = await sendAndReceive('/send/template', { Title: 'Hi', Content: 'Your code is ready', Footer: 'f', Buttons: [{ Id: 'ok', Text: 'OK' }, { Type: 'url', Text: 'Open', Url: 'https://example.org' }] });
  const t = m.templateMessage?.hydratedTemplate;
  assert.equal(t?.hydratedTitleText, 'Hi');
  assert.equal(t?.hydratedContentText, 'Your code is ready');
  assert.equal(t?.hydratedFooterText, 'f');
  assert.deepEqual((t?.hydratedButtons ?? []).map((b) => [b.index, b.quickReplyButton?.id ?? b.urlButton?.url, (b.quickReplyButton ?? b.urlButton)?.displayText]), [
    [1, 'ok', 'OK'],
    [2, 'https://example.org', 'Open'],
  ]);
  const one = await sendAndReceive('/send/template', { Content: 'single', Buttons: { Type: 'call', Text: 'Call', Phone: '5511999990000' } });
  assert.equal(one.templateMessage?.hydratedFourRowTemplate?.hydratedButtons?.[0].callButton?.phoneNumber, '5511999990000');
});

test('POST /send/list: listMessage with title, description, button text, sections and rows', async () => {
  const m = await sendAndReceive('/send/list', {
    TopText: 'Menu',
    Desc: 'Pick one',
    ButtonText: 'Open menu',
    List: [
      { Title: 'Breads', Rows: [{ Id: 'b1', Title: 'Baguette', Description: 'Crispy' }, { Id: 'b2', Title: 'Brioche' }] },
      { Title: 'Cakes', Rows: [{ Id: 'c1', Title: 'Carrot' }] },
    ],
  });
  const list = m.listMessage!;
  assert.equal(list.title, 'Menu');
  assert.equal(list.description, 'Pick one');
  assert.equal(list.buttonText, 'Open menu');
  assert.equal(list.listType, proto.Message.ListMessage.ListType.SINGLE_SELECT);
  assert.deepEqual((list.sections ?? []).map((s) => [s.title, (s.rows ?? []).map((r) => [r.rowId, r.title, r.description])]), [
    ['Breads', [['b1', 'Baguette', 'Crispy'], ['b2', 'Brioche', '']]],
    ['Cakes', [['c1', 'Carrot', '']]],
  ]);
});

test('POST /send/mediabutton: the header carries the uploaded image', async () => {
  const media = await imageUrl('#2980b9');
  const m = await sendAndReceive('/send/mediabutton', { Type: 'image', Media: media, Content: 'New bread', Title: 'Today', Footer: 'f', Buttons: [{ Id: 'buy', Text: 'Buy' }], MessageId: 'WAGO-MEDIABTN-1' });
  const im = m.interactiveMessage!;
  assert.equal(im.header?.hasMediaAttachment, true);
  assert.equal(im.header?.imageMessage?.mimetype, 'image/png');
  assert.equal(im.header?.imageMessage?.mediaKey?.length, 32);
  // The contact can download and decrypt exactly the image that was sent.
  const stored = env.emu.context.services.media.resolve(im.header?.imageMessage?.directPath);
  assert.ok(stored, 'uploaded to the media server');
  const bytes = await decryptMedia(stored.body, im.header!.imageMessage!.mediaKey!, 'image');
  assert.deepEqual(bytes, Buffer.from(media.split(',')[1], 'base64'));
  assert.equal(im.body?.text, 'New bread');
  assert.deepEqual(flow(im.nativeFlowMessage?.buttons), [{ name: 'quick_reply', params: { display_text: 'Buy', id: 'buy' } }]);
  assert.ok(env.emu.control.received(ALICE).some((r) => r.id === 'WAGO-MEDIABTN-1'), 'MessageId is the message id');
});

test('POST /send/locationbutton: a send_location button, default body', async () => {
  const m = await sendAndReceive('/send/locationbutton', {});
  assert.equal(m.interactiveMessage?.body?.text, 'Please share your location.');
  assert.deepEqual(flow(m.interactiveMessage?.nativeFlowMessage?.buttons), [{ name: 'send_location', params: { display_text: 'Send location' } }]);
});

test('POST /send/pixbutton: payment_info with the PIX key, its (inferred) type and merchant', async () => {
  const m = await sendAndReceive('/send/pixbutton', { Title: 'Pay', Body: 'Pay by PIX', Footer: 'thanks', PixKey: '123.456.789-09', MerchantName: 'Bakery' });
  assert.equal(m.interactiveMessage?.header?.title, 'Pay');
  assert.equal(m.interactiveMessage?.body?.text, 'Pay by PIX');
  const [button] = flow(m.interactiveMessage?.nativeFlowMessage?.buttons);
  assert.equal(button.name, 'payment_info');
  assert.deepEqual(button.params.payment_settings, [{ type: 'pix_static_code', pix_static_code: { merchant_name: 'Bakery', key: '12345678909', key_type: 'CPF' } }]);
  assert.equal(button.params.currency, 'BRL');
});

test('POST /send/reviewpay: review_and_pay with the order items, total and PIX', async () => {
  const m = await sendAndReceive('/send/reviewpay', {
    Body: 'Your order',
    Caption: 'Order 42',
    PixKey: 'pay@example.org',
    PixType: 'EMAIL',
    ReferenceID: 'ORDER42',
    Items: [{ Name: 'Baguette', Quantity: 2, Value: 750 }, { Name: 'Cake', Value: 2990, RetailerId: 'cake-1' }],
  });
  assert.equal(m.interactiveMessage?.header?.subtitle, 'Order 42');
  const [button] = flow(m.interactiveMessage?.nativeFlowMessage?.buttons);
  assert.equal(button.name, 'review_and_pay');
  assert.equal(button.params.reference_id, 'ORDER42');
  assert.deepEqual(button.params.total_amount, { value: 4490, offset: 100 });
  assert.deepEqual(button.params.order, {
    status: 'pending',
    subtotal: { value: 4490, offset: 100 },
    order_type: 'ORDER',
    items: [
      { retailer_id: 'item-1', name: 'Baguette', amount: { value: 750, offset: 100 }, quantity: 2 },
      { retailer_id: 'cake-1', name: 'Cake', amount: { value: 2990, offset: 100 }, quantity: 1 },
    ],
  });
  assert.deepEqual(button.params.payment_settings, [{ type: 'pix_static_code', pix_static_code: { merchant_name: '', key: 'pay@example.org', key_type: 'EMAIL' } }]);
});

test('POST /send/carousel and /send/carouselmedia: cards with titles, bodies, buttons and images', async () => {
  const cards = [
    { Title: 'Baguette', Body: 'Crispy', Buttons: [{ Id: 'c1', Text: 'Buy' }] },
    { Title: 'Brioche', Body: 'Soft', Footer: 'new', Buttons: { Type: 'url', Text: 'See', Url: 'https://example.org/b' } },
  ];
  const m = await sendAndReceive('/send/carousel', { Body: 'Our breads', Cards: cards });
  const carousel = m.interactiveMessage?.carouselMessage;
  assert.equal(m.interactiveMessage?.body?.text, 'Our breads');
  assert.deepEqual((carousel?.cards ?? []).map((c) => [c.header?.title, c.body?.text, c.footer?.text, flow(c.nativeFlowMessage?.buttons).map((b) => b.name)]), [
    ['Baguette', 'Crispy', undefined, ['quick_reply']],
    ['Brioche', 'Soft', 'new', ['cta_url']],
  ]);
  const media = await sendAndReceive('/send/carouselmedia', { Body: 'With pictures', Cards: [{ ...cards[0], Media: await imageUrl('#27ae60') }, { ...cards[1], Media: await imageUrl('#8e44ad') }] });
  const withMedia = media.interactiveMessage?.carouselMessage?.cards ?? [];
  assert.equal(withMedia.length, 2);
  for (const card of withMedia) {
    assert.equal(card.header?.hasMediaAttachment, true);
    assert.equal(card.header?.imageMessage?.mimetype, 'image/png');
    assert.ok(card.header?.imageMessage?.directPath);
  }
  assert.notDeepEqual(withMedia[0].header?.imageMessage?.fileSha256, withMedia[1].header?.imageMessage?.fileSha256);
});

test('bad input: 400 naming the field, nothing is sent', async () => {
  const before = env.emu.control.received(BOB).length;
  const img = await imageUrl('#000000');
  const btn = { Phone: BOB, Title: 'T', Content: 'C', Footer: 'F' };
  const card = { Body: 'b', Buttons: [{ Id: 'x', Text: 'X' }] };
  const cases: Array<[string, unknown, RegExp]> = [
    ['/send/buttons', { ...btn, Buttons: [{ Text: 'no id' }] }, /^Buttons\[0\]\.Id: is required/],
    ['/send/buttons', { ...btn, Buttons: [] }, /^Buttons: needs at least 1 button$/],
    ['/send/buttons', { ...btn, Buttons: [{ Type: 'url', Text: 'x' }] }, /^Buttons\[0\]\.Url: is required/],
    ['/send/buttons', { ...btn, Buttons: [{ Type: 'url', Text: 'x', Url: 'javascript:alert(1)' }] }, /^Buttons\[0\]\.Url: must be an http\(s\) URL/],
    ['/send/buttons', { ...btn, Buttons: [{ Type: 'fax', Text: 'x' }] }, /^Buttons\[0\]\.Type: /],
    ['/send/buttons', { ...btn, Buttons: [{ Id: 'a', Text: 'A' }, { Id: 'a', Text: 'B' }] }, /^Buttons\[1\]\.Id: duplicate id/],
    ['/send/buttons', { ...btn, Footer: undefined, Buttons: [{ Id: 'a', Text: 'A' }] }, /^Footer is required/],
    ['/send/template', { Phone: BOB, Content: 'c', Buttons: [{ Type: 'copy', Text: 'x', Code: 'y' }] }, /^Buttons\[0\]\.Type: /],
    ['/send/template', { Phone: BOB, Content: 'c', Buttons: [1, 2, 3, 4].map((i) => ({ Id: `${i}`, Text: 'x' })) }, /^Buttons: at most 3 buttons/],
    ['/send/list', { Phone: BOB, ButtonText: 'b', Desc: 'd', TopText: 't', List: [{ Rows: [] }] }, /^List\[0\]\.Rows: needs at least 1 row/],
    ['/send/list', { Phone: BOB, ButtonText: 'b', Desc: 'd', TopText: 't', List: { Rows: [{ Title: 'x' }] } }, /^List\[0\]\.Rows\[0\]\.Id is required/],
    ['/send/list', { Phone: BOB, ButtonText: 'b', Desc: 'd', TopText: 't', List: [{ Rows: [{ Id: 'a', Title: 'x' }, { Id: 'a', Title: 'y' }] }] }, /^List\[0\]\.Rows\[1\]\.Id: duplicate id/],
    ['/send/list', { Phone: BOB, Desc: 'd', TopText: 't', List: [] }, /^ButtonText is required/],
    ['/send/mediabutton', { Phone: BOB, Content: 'c', Type: 'video', Media: img, Buttons: [{ Id: 'a', Text: 'A' }] }, /^Media: must be an MP4 or 3GP video, got image\/png$/],
    ['/send/mediabutton', { Phone: BOB, Content: 'c', Type: 'image', Media: 'http://127.0.0.1:9/a.png', Buttons: [{ Id: 'a', Text: 'A' }] }, /^Media: URL resolves to a private address 127\.0\.0\.1$/],
    ['/send/mediabutton', { Phone: BOB, Content: 'c', Type: 'image', Media: 'ftp://x.org/a.png', Buttons: [{ Id: 'a', Text: 'A' }] }, /^Media: must be a base64 data URL, base64 or an http\(s\) URL$/],
    ['/send/mediabutton', { Phone: BOB, Content: 'c', Type: 'gif', Media: img, Buttons: [{ Id: 'a', Text: 'A' }] }, /^Type: /],
    ['/send/locationbutton', { Body: 'where?' }, /^Phone: is required/],
    ['/send/pixbutton', { Phone: BOB, Body: 'b', PixKey: '123', PixType: 'CPF' }, /^PixKey: must be a CPF \(11 digits\)/],
    ['/send/pixbutton', { Phone: BOB, Body: 'b', PixKey: 'what is this' }, /^PixKey: is not a CPF/],
    ['/send/pixbutton', { Phone: BOB, Body: 'b', PixKey: 'a@b.co', PixType: 'BOLETO' }, /^PixType: /],
    ['/send/reviewpay', { Phone: BOB, Body: 'b', PixKey: 'a@b.co' }, /^TotalValue: is required when there are no Items/],
    ['/send/reviewpay', { Phone: BOB, Body: 'b', PixKey: 'a@b.co', TotalValue: 10.5 }, /^TotalValue: must be an integer/],
    ['/send/reviewpay', { Phone: BOB, Body: 'b', PixKey: 'a@b.co', Items: [{ Name: 'x', Value: -1 }] }, /^Items\[0\]\.Value: must not be negative/],
    ['/send/carousel', { Cards: [card] }, /^Phone: is required/],
    ['/send/carousel', { Phone: BOB }, /^Cards: is required/],
    ['/send/carousel', { Phone: BOB, Cards: [card, { Body: 'c', Buttons: [{ Id: 'y', Text: 'Y' }, { Id: 'z', Text: 'Z' }] }] }, /^Cards\[1\]\.Buttons: every card needs the same number of buttons \(1\)/],
    ['/send/carousel', { Phone: BOB, Cards: [card, card] }, /^Cards\[1\]\.Buttons\[0\]\.Id: duplicate id/],
    ['/send/carouselmedia', { Phone: BOB, Cards: [card] }, /^Cards\[0\]\.Media is required/],
    ['/send/carouselmedia', { Phone: BOB, Cards: [{ ...card, Media: 'data:application/pdf;base64,JVBERi0=' }] }, /^Cards\[0\]\.Media: must be a JPEG, PNG or WebP image/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.emu.control.received(BOB).length, before, 'nothing reached the contact');
});
