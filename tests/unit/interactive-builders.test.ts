import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { proto } from 'baileys';
import { buildCarousel, buildList, buildReviewPay, buildTemplate } from '../../server/services/messaging/interactive/builders';
import { buttonsInput, listInput, reviewPayInput, templateInput } from '../../server/services/messaging/interactive/inputs';
import { bizNode } from '../../server/services/messaging/interactive/native-flow';
import { inferPixType, pixKeyProblem } from '../../server/services/messaging/interactive/pix';
import { buildVcard, escapeVcard } from '../../server/services/messaging/interactive/vcard';
import { validationError } from '../../server/http/validation';

/** Pure parts of the interactive sends: schemas, proto builders, vCard, PIX keys. */

const errorOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input, { reportInput: true });
  assert.equal(parsed.success, false, 'rejected');
  return validationError(parsed.error!, 'body').message;
};

test('Buttons/List take an array or one object, and are documented as both', () => {
  const one = buttonsInput.parse({ Phone: '1', Title: 't', Content: 'c', Footer: 'f', Buttons: { Id: 'a', Text: 'A' } });
  assert.deepEqual(one.Buttons, [{ Type: 'quick_reply', Id: 'a', Text: 'A' }]);
  const json = z.toJSONSchema(buttonsInput, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { anyOf?: Array<{ type: string }> }> };
  assert.deepEqual(json.properties.Buttons.anyOf?.map((s) => s.type), ['array', 'object']);
  assert.equal(errorOf(buttonsInput, { Phone: '1', Title: 't', Content: 'c', Footer: 'f', Buttons: [{ Id: 'a', Text: 'A' }, { Type: 'copy', Text: 'B' }] }), 'Buttons[1].Code: is required');
  assert.equal(errorOf(listInput, { Phone: '1', ButtonText: 'b', Desc: 'd', TopText: 't', List: [{ Rows: Array.from({ length: 6 }, (_, i) => ({ Id: `r${i}`, Title: 'x' })) }, { Rows: Array.from({ length: 5 }, (_, i) => ({ Id: `s${i}`, Title: 'y' })) }] }), 'List: at most 10 rows in all, got 11');
});

test('template: hydrated buttons are indexed from 1 and typed by kind; both template fields are set', () => {
  const input = templateInput.parse({ Phone: '1', Content: 'c', Buttons: [{ Id: 'q', Text: 'Q' }, { Type: 'call', Text: 'C', Phone: '+551199999999' }] });
  const t = buildTemplate(input).templateMessage!;
  assert.deepEqual(t.hydratedTemplate, t.hydratedFourRowTemplate);
  assert.deepEqual(t.hydratedTemplate?.hydratedButtons, [
    { index: 1, quickReplyButton: { displayText: 'Q', id: 'q' } },
    { index: 2, callButton: { displayText: 'C', phoneNumber: '+551199999999' } },
  ]);
  assert.equal(t.hydratedTemplate?.hydratedTitleText, undefined);
  // The built message encodes as a valid proto.Message.
  const decoded = proto.Message.decode(proto.Message.encode(buildTemplate(input)).finish());
  assert.equal(decoded.templateMessage?.hydratedTemplate?.hydratedContentText, 'c');
});

test('list and carousel builders', () => {
  const list = buildList(listInput.parse({ Phone: '1', ButtonText: 'b', Desc: 'd', TopText: 't', Footer: 'f', List: { Title: 'S', Rows: [{ Id: 'r', Title: 'R' }] } })).listMessage!;
  assert.equal(list.footerText, 'f');
  assert.deepEqual(list.sections, [{ title: 'S', rows: [{ rowId: 'r', title: 'R', description: '' }] }]);
  const carousel = buildCarousel({ Phone: '1', Cards: [{ Body: 'b', Buttons: [{ Type: 'quick_reply', Id: 'x', Text: 'X' }] }] }).interactiveMessage!;
  assert.equal(carousel.carouselMessage?.carouselCardType, proto.Message.InteractiveMessage.CarouselMessage.CarouselCardType.HSCROLL_CARDS);
  assert.equal(carousel.carouselMessage?.cards?.[0].header?.hasMediaAttachment, false);
});

test('review and pay: totals from items or TotalValue, offset, currency, generated reference', () => {
  const params = (input: unknown) => JSON.parse(buildReviewPay(reviewPayInput.parse(input)).interactiveMessage!.nativeFlowMessage!.buttons![0].buttonParamsJson!) as Record<string, { value?: number; offset?: number } | string>;
  const fromItems = params({ Phone: '1', Body: 'b', PixKey: '+5511999998888', Items: [{ Name: 'a', Value: 100, Quantity: 3 }], TotalOffset: 1000, Currency: 'USD' });
  assert.deepEqual(fromItems.total_amount, { value: 300, offset: 1000 });
  assert.equal(fromItems.currency, 'USD');
  assert.match(String(fromItems.reference_id), /^[0-9A-F]{11}$/);
  const fixed = params({ Phone: '1', Body: 'b', PixKey: '0f8fad5b-d9cb-469f-a165-70867728950e', TotalValue: 5000 });
  assert.deepEqual(fixed.total_amount, { value: 5000, offset: 100 });
  assert.equal(errorOf(reviewPayInput, { Phone: '1', Body: 'b', PixKey: 'a@b.co', TotalValue: 1, TotalOffset: 7 }), 'TotalOffset: must be 1, 10, 100 or 1000');
});

test('PIX keys: inferred type, per-type shape', () => {
  assert.equal(inferPixType('123.456.789-09'), 'CPF');
  assert.equal(inferPixType('12.345.678/0001-95'), 'CNPJ');
  assert.equal(inferPixType('me@example.org'), 'EMAIL');
  assert.equal(inferPixType('+55 11 99999-8888'), 'PHONE');
  assert.equal(inferPixType('0F8FAD5B-D9CB-469F-A165-70867728950E'), 'EVP');
  assert.equal(inferPixType('hello'), undefined);
  assert.equal(pixKeyProblem('11999998888', 'PHONE'), 'must be a phone number in international format (+5511999999999) for PixType PHONE');
  assert.equal(pixKeyProblem('12345678909', 'CPF'), undefined);
});

test('vCard 3.0: escaping, waid, optional lines', () => {
  assert.equal(escapeVcard('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
  const card = buildVcard({ FullName: 'Ana', Phone: '+1 (555) 000-2001' });
  assert.equal(card, ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Ana', 'N:;Ana;;;', 'TEL;type=CELL;type=VOICE;waid=15550002001:+15550002001', 'END:VCARD'].join('\r\n'));
  assert.match(buildVcard({ FullName: 'B', Phone: '5511988887777', Url: 'https://x.org/a,b', Note: 'two\nlines' }), /URL:https:\/\/x\.org\/a,b\r\nNOTE:two\\nlines\r\n/);
});

test('biz stanza nodes per kind', () => {
  assert.deepEqual(bizNode('payment_info').attrs, { native_flow_name: 'payment_info' });
  assert.deepEqual(bizNode('review_and_pay').attrs, { native_flow_name: 'order_details' });
  const flow = bizNode('native_flow');
  assert.ok(Array.isArray(flow.content));
  assert.equal(flow.content[0].tag, 'interactive');
});
