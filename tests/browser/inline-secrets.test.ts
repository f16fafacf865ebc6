import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulatedWago, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';

// Secrets shown once on a page (not in a dialog) — a regenerated session token, the webhook
// signing secret, a new API key — ask before they are hidden, replaced or left, unless copied,
// with the same question as the shown-once dialogs.
let env: EmulatedWago;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionId: string;
let oldToken: string;

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  const init = await env.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'Secrets' } });
  sessionId = init.body.data!.session.id;
  oldToken = init.body.data!.token;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.wago.url });
  page = await context.newPage();
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

const confirmBox = () => page.getByTestId('shown-once-confirm');

test('a regenerated token: "Done, hide it" and leaving by a link first ask; Go back keeps it, Close anyway leaves', async () => {
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.getByRole('button', { name: 'Regenerate token', exact: true }).click();
  await page.getByRole('dialog', { name: 'Regenerate the API token?' }).getByRole('button', { name: 'Regenerate token' }).click();
  const reveal = page.getByTestId('secret-reveal').filter({ hasText: 'New API token' });
  await reveal.waitFor();
  const token = (await reveal.getByTestId('secret-value').textContent())!.trim();
  assert.notEqual(token, oldToken);

  await page.getByRole('button', { name: 'Done, hide it' }).click();
  await confirmBox().getByText('Close without copying? The API token is shown only this once').waitFor();
  assert.ok(await reveal.isVisible(), 'asking keeps the token on screen');
  await screenshot(page, 'inline-secrets-01-token-asks');
  await confirmBox().getByRole('button', { name: 'Go back' }).click();
  await confirmBox().waitFor({ state: 'detached' });
  assert.ok(await reveal.isVisible(), 'Go back keeps the token');

  // A link to another page asks too, and stays on the page until answered.
  await page.getByRole('navigation').getByRole('link', { name: 'Events' }).click();
  await confirmBox().waitFor();
  assert.equal(new URL(page.url()).pathname, `/dashboard/sessions/${sessionId}`);
  await confirmBox().getByRole('button', { name: 'Close anyway' }).click();
  await page.waitForURL('**/dashboard/events');
  // The token shown was the real one: it works, the old one does not.
  assert.equal((await env.wago.call('GET', '/session/status', { token })).status, 200);
  assert.equal((await env.wago.call('GET', '/session/status', { token: oldToken })).status, 401);
});

test('the webhook signing secret: once copied, it hides without asking; a new save while it is shown asks first', async () => {
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
  await page.getByRole('button', { name: 'Save webhook' }).click();
  const reveal = page.getByTestId('secret-reveal').filter({ hasText: 'Webhook signing secret' });
  await reveal.waitFor();
  const secret = (await reveal.getByTestId('secret-value').textContent())!.trim();

  // Saving again (which would replace what is shown) asks first; Go back saves nothing.
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await confirmBox().getByText('The signing secret is shown only this once').waitFor();
  await confirmBox().getByRole('button', { name: 'Go back' }).click();
  assert.equal((await reveal.getByTestId('secret-value').textContent())!.trim(), secret);

  await reveal.getByRole('button', { name: 'Copy' }).click();
  await reveal.getByRole('button', { name: /Copied/ }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  await reveal.waitFor({ state: 'detached' });
  assert.equal(await confirmBox().count(), 0, 'a copied secret hides without a question');
});

test('a new API key: creating another while it is shown asks; Close anyway replaces it', async () => {
  await page.goto(`${env.wago.url}/dashboard/account`);
  await page.getByLabel('Key name').fill('First key');
  await page.getByRole('button', { name: 'Create key' }).click();
  const reveal = page.getByTestId('secret-reveal');
  await reveal.filter({ hasText: 'First key' }).waitFor();

  await page.getByLabel('Key name').fill('Second key');
  await page.getByRole('button', { name: 'Create key' }).click();
  await confirmBox().getByText('The API key is shown only this once').waitFor();
  assert.equal(await page.getByTestId('api-key').count(), 1, 'nothing created while asking');
  await screenshot(page, 'inline-secrets-02-api-key-asks');
  await confirmBox().getByRole('button', { name: 'Close anyway' }).click();
  await reveal.filter({ hasText: 'Second key' }).waitFor();
  await page.getByTestId('api-key').nth(1).waitFor();
  assert.equal(await page.getByTestId('api-key').count(), 2);
});
