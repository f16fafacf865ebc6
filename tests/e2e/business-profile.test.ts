import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import { startEmulatedWago, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import type { BusinessProfileAnswer } from '../../server/services/business/profile.service';

/** Business profile routes, the business gate of every business route, and /business/send/catalog, against the emulator. */

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';

type Profile = BusinessProfileAnswer;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'business-profile');
});
after(async () => {
  await env?.stop();
});

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${env.emu.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const makeBusiness = (phone: string, profile: Record<string, unknown>) => control('PUT', `/control/accounts/${phone}/business`, profile);
const emulatedProfile = async (phone: string) => (await control('GET', `/control/accounts/${phone}/business`)).body;

const BUSINESS_ROUTES: Array<['GET' | 'POST', string, Record<string, unknown>?]> = [
  ['POST', '/business/get/profile', {}],
  ['GET', '/business/get/categories'],
  ['POST', '/business/update/desc', { Desc: 'x' }],
  ['POST', '/business/update/address', { Address: 'x' }],
  ['POST', '/business/update/email', { Email: 'a@b.co' }],
  ['POST', '/business/catalog/create', { Name: 'Bread' }],
  ['POST', '/business/catalog/edit', { Id: '1', Name: 'Bread' }],
  ['POST', '/business/catalog/list', {}],
  ['POST', '/business/catalog/info', { Id: '1' }],
  ['POST', '/business/catalog/delete', { Id: '1' }],
  ['POST', '/business/catalog/show', { Id: '1' }],
  ['POST', '/business/catalog/hide', { Id: '1' }],
  ['POST', '/business/order/details', { OrderId: '1', Token: 'dG9rZW4=' }],
  ['POST', '/business/send/catalog', { Phone: ALICE, Text: 'Our catalog', MatchedText: `https://wa.me/c/${OWNER_PHONE}`, Title: 'Catalog' }],
];

test('a personal account: every business route answers 403 saying it is not a business account, and changes nothing', async () => {
  for (const [method, path, body] of BUSINESS_ROUTES) {
    const r = await env.wago.call(method, path, { token, body });
    assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, /not a WhatsApp Business account/, path);
  }
  assert.equal(env.emu.world.getByPhone(OWNER_PHONE)!.business, undefined);
  assert.equal((await env.emu.control.received(ALICE)).filter((m) => m.contentType === 'extendedTextMessage').length, 0, 'no catalog message reached Alice');
});

test('/business/get/profile: this account\'s profile as WhatsApp holds it; another business\'s by Jid; 404 for a personal account', async () => {
  assert.equal((await makeBusiness(OWNER_PHONE, { name: 'Owner Bakery', description: 'Fresh bread daily', address: '1 Main St', email: 'shop@bakery.test', websites: ['https://bakery.test'] })).status, 200);
  const own = await env.wago.call<Profile>('POST', '/business/get/profile', { token, body: {} });
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.deepEqual(
    { ...own.body.data!, BusinessHours: undefined },
    { Jid: `${OWNER_PHONE}@s.whatsapp.net`, Description: 'Fresh bread daily', Address: '1 Main St', Email: 'shop@bakery.test', Websites: ['https://bakery.test'], Category: 'Other Business', BusinessHours: undefined },
  );
  await makeBusiness(BOB, { name: 'Bob Bikes', description: 'Bikes and repairs', categoryIds: ['2250'] });
  const bob = await env.wago.call<Profile>('POST', '/business/get/profile', { token, body: { Jid: BOB } });
  assert.equal(bob.status, 200, JSON.stringify(bob.body));
  assert.equal(bob.body.data!.Jid, `${BOB}@s.whatsapp.net`);
  assert.equal(bob.body.data!.Description, 'Bikes and repairs');
  assert.equal(bob.body.data!.Category, 'Automotive Service');
  const alice = await env.wago.call('POST', '/business/get/profile', { token, body: { Jid: ALICE } });
  assert.equal(alice.status, 404);
  assert.match(alice.body.error!, /^Jid: .*not a WhatsApp Business account/);
  const bad = await env.wago.call('POST', '/business/get/profile', { token, body: { Jid: 'not a number' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error!, /^Jid: /);
});

test('/business/get/categories: WhatsApp\'s category list with ids', async () => {
  const r = await env.wago.call<{ Categories: Array<{ Id: string; Name: string }> }>('GET', '/business/get/categories', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.data!.Categories.length >= 10);
  assert.ok(r.body.data!.Categories.some((c) => c.Id === '2235' && c.Name === 'Restaurant'));
});

test('/business/update/desc, /address, /email: the emulated server holds each change; bad input is a 400 naming the field and changes nothing', async () => {
  const desc = await env.wago.call<Profile>('POST', '/business/update/desc', { token, body: { Desc: 'Sourdough since 1990' } });
  assert.equal(desc.status, 200, JSON.stringify(desc.body));
  assert.equal(desc.body.data!.Description, 'Sourdough since 1990');
  const address = await env.wago.call<Profile>('POST', '/business/update/address', { token, body: { Address: '2 Market Square' } });
  assert.equal(address.status, 200, JSON.stringify(address.body));
  assert.equal(address.body.data!.Address, '2 Market Square');
  const email = await env.wago.call<Profile>('POST', '/business/update/email', { token, body: { Email: 'hello@bakery.test' } });
  assert.equal(email.status, 200, JSON.stringify(email.body));
  assert.equal(email.body.data!.Email, 'hello@bakery.test');
  const held = await emulatedProfile(OWNER_PHONE);
  assert.equal(held.description, 'Sourdough since 1990');
  assert.equal(held.address, '2 Market Square');
  assert.equal(held.email, 'hello@bakery.test');
  assert.equal(held.name, 'Owner Bakery', 'the verified name is untouched');

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['/business/update/desc', {}, /^Desc is required/],
    ['/business/update/desc', { Desc: 'x'.repeat(513) }, /^Desc: /],
    ['/business/update/address', {}, /^Address is required/],
    ['/business/update/address', { Address: 5 }, /^Address: /],
    ['/business/update/email', { Email: 'not-an-email' }, /^Email: /],
    ['/business/update/email', {}, /^Email is required/],
  ];
  for (const [path, body, message] of refused) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, path);
  }
  assert.deepEqual(await emulatedProfile(OWNER_PHONE), held, 'nothing changed');

  // an empty address clears it
  const cleared = await env.wago.call<Profile>('POST', '/business/update/address', { token, body: { Address: '' } });
  assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
  assert.equal(cleared.body.data!.Address, null);
  assert.equal((await emulatedProfile(OWNER_PHONE)).address, null);
});

test('/business/send/catalog: the contact\'s phone decrypts the catalog link message with its title and the business description', async () => {
  const link = `https://wa.me/c/${OWNER_PHONE}`;
  const r = await env.wago.call<{ Id: string; Jid: string; Status: string }>('POST', '/business/send/catalog', { token, body: { Phone: ALICE, Text: 'Have a look at our catalog', MatchedText: link, Title: 'Owner Bakery catalog' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.data!.Jid, `${ALICE}@s.whatsapp.net`);
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.id === r.body.data!.Id, timeoutMs: 10_000 });
  const ext = proto.Message.fromObject(got!.message).extendedTextMessage!;
  assert.equal(ext.text, `Have a look at our catalog\n${link}`);
  assert.equal(ext.matchedText, link);
  assert.equal(ext.title, 'Owner Bakery catalog');
  assert.equal(ext.description, 'Sourdough since 1990');

  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ Text: 'x', MatchedText: 'https://example.org', Title: 't' }, /^MatchedText: /],
    [{ MatchedText: link, Title: 't' }, /^Text is required/],
    [{ Text: 'x', MatchedText: link }, /^Title is required/],
  ];
  const before = (await env.emu.control.received(ALICE)).length;
  for (const [body, message] of refused) {
    const bad = await env.wago.call('POST', '/business/send/catalog', { token, body: { Phone: ALICE, ...body } });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(bad.body.error!, message);
  }
  const noPhone = await env.wago.call('POST', '/business/send/catalog', { token, body: { Text: 'x', MatchedText: link, Title: 't' } });
  assert.equal(noPhone.status, 400);
  assert.match(noPhone.body.error!, /^Phone is required/);
  assert.equal((await env.emu.control.received(ALICE)).length, before, 'nothing was sent');
});
