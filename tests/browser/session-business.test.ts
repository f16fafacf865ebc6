import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';

// The session page's label chips, Channels list and Business panel in Debian's chromium, against
// the real server (production build) and the WhatsApp emulator.
let env: EmulatedWago;
let browser: Browser;
let page: Page;
let token: string;
let messageId: string;
const ALICE_JID = `${ALICE}@s.whatsapp.net`;

const control = (path: string, method: string, body: unknown) => fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/${path}`, { method, body: JSON.stringify(body) });
async function ok(path: string, body: unknown): Promise<void> {
  const r = await env.wago.call('POST', path, { token, body });
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
}

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  token = await linkedSession(env, 'Bakery');
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

test('a business account: the message log shows label chips on the labelled chat and message; the catalog and a followed channel are listed', async () => {
  assert.equal((await control('business', 'PUT', { name: 'Owner Bakery', description: 'Fresh bread daily', email: 'shop@example.com' })).status, 200);
  assert.equal((await control('catalog', 'POST', { name: 'Sourdough loaf', price: '4500', currency: 'EUR' })).status, 200);
  await ok('/newsletter/create', { Name: 'Bakery news', Description: 'Fresh from the oven' });
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'Two loaves for Saturday please' });
  messageId = sent.id;
  await waitFor('stored', async () => (await env.wago.call('POST', '/message/status', { token, body: { Id: sent.id } })).status === 200);
  await ok('/label/edit', { LabelId: '1', Name: 'New order', Color: 1 });
  await ok('/label/edit', { LabelId: '2', Name: 'Regular', Color: 5 });
  await ok('/label/chat', { Jid: ALICE, LabelId: '2' });
  await ok('/label/message', { Jid: ALICE, LabelId: '1', MessageId: messageId });

  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const sessionId = await page.locator('[data-session-id]').filter({ hasText: 'Bakery' }).first().getAttribute('data-session-id');
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.locator('[data-testid="state-badge"][data-state="connected"]').first().waitFor({ timeout: 20_000 });

  const row = page.locator(`[data-testid="message-row"][data-message-id="${messageId}"]`);
  await row.waitFor({ timeout: 15_000 });
  await row.locator('[data-testid="label-chip"][data-on="message"][data-label-id="1"]').filter({ hasText: 'New order' }).waitFor({ timeout: 15_000 });
  await row.locator('[data-testid="label-chip"][data-on="chat"][data-label-id="2"]').filter({ hasText: 'Regular' }).waitFor();
  assert.equal(await row.locator('[data-testid="label-chip"]').count(), 2);

  const business = page.getByTestId('business-panel');
  await business.getByTestId('business-profile').getByText('Fresh bread daily').waitFor({ timeout: 15_000 });
  await business.getByTestId('business-profile').getByText('shop@example.com').waitFor();
  await business.getByTestId('product-row').filter({ hasText: 'Sourdough loaf' }).waitFor();
  await page.getByTestId('channels-panel').getByTestId('channel-row').filter({ hasText: 'Bakery news' }).waitFor({ timeout: 15_000 });
  await business.scrollIntoViewIfNeeded();
  await screenshot(page, 'business-01-catalog');
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, 'business-02-label-chips');

  // A label taken off on the phone's side disappears from the log live.
  assert.equal((await control('labels', 'POST', { kind: 'chat', labelId: '2', chat: ALICE, labeled: false })).status, 200);
  await row.locator('[data-testid="label-chip"][data-on="chat"]').waitFor({ state: 'detached', timeout: 15_000 });
});

test('a personal account has no Business panel (WhatsApp holds no business profile for it)', async () => {
  assert.equal((await control('business', 'PUT', { name: null })).status, 200);
  await page.reload();
  await page.getByTestId('channels-panel').getByTestId('channel-row').first().waitFor({ timeout: 20_000 });
  await page.locator(`[data-testid="message-row"][data-message-id="${messageId}"]`).waitFor();
  assert.equal(await page.getByTestId('business-panel').count(), 0);
});
