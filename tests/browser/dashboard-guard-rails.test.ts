import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulatedWago, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// The dashboard's guard rails in Debian's chromium against the real server (production build):
// copying without the Clipboard API, shown-once dialogs, no Delete where it must fail, rename
// and delete from the session page, the 404/403 pages, the favicon, and "Live" going off.
let env: EmulatedWago;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/**
 * Plain http on another host has no Clipboard API: the same is simulated here (127.0.0.1 counts
 * as secure). Also records what a copy command copied (from the selected text field, as the
 * fallback does). A string, so that it reaches the page exactly as written.
 */
const NO_CLIPBOARD = `
  Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
  document.addEventListener('copy', () => {
    const el = document.activeElement;
    window.__copied = el instanceof HTMLTextAreaElement ? el.value.slice(el.selectionStart, el.selectionEnd) : String(document.getSelection());
  });
`;

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: NO_CLIPBOARD });
  page = await context.newPage();
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

async function openNewSessionDialog(name: string): Promise<string> {
  await page.goto(`${env.wago.url}/dashboard`);
  await page.getByRole('button', { name: 'New session' }).click();
  await page.locator('input[name="name"]').fill(name);
  await page.getByRole('button', { name: 'Create session' }).click();
  return (await page.getByTestId('secret-value').textContent())!.trim();
}

test('the shown-once token dialog asks before it closes (Close, Escape), unless the token was copied', async () => {
  assert.equal(await page.evaluate(() => typeof navigator.clipboard), 'undefined', 'no Clipboard API here');
  const token = await openNewSessionDialog('Asked before closing');
  const dialog = page.getByRole('dialog', { name: 'Session created' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const confirm = page.getByTestId('shown-once-confirm');
  await confirm.getByText(/Close without copying\? The API token is shown only this once/).waitFor();
  await screenshot(page, 'guard-shown-once-confirm');
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await dialog.getByTestId('secret-value').textContent())!.trim(), token, 'still showing the token');

  await page.keyboard.press('Escape');
  await confirm.waitFor();
  assert.ok(await dialog.isVisible(), 'Escape did not close it');
  await confirm.getByRole('button', { name: 'Close anyway' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Copied first: Close closes at once.
  await openNewSessionDialog('Copied first');
  const second = page.getByRole('dialog', { name: 'Session created' });
  await second.getByRole('button', { name: 'Copy' }).click();
  await second.getByRole('button', { name: 'Copied' }).waitFor();
  await second.getByRole('button', { name: 'Close', exact: true }).click();
  await second.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('shown-once-confirm').count(), 0);
});

test('copy without the Clipboard API: the fallback copies; when copying is impossible it says so and selects the text', async () => {
  const token = await openNewSessionDialog('Copy fallback');
  const dialog = page.getByRole('dialog', { name: 'Session created' });
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { __copied?: string }).__copied), token, 'the fallback copied the token');

  // A browser that refuses every way of copying.
  await page.evaluate(() => {
    document.execCommand = () => false;
  });
  await dialog.getByRole('button', { name: 'Copied' }).click();
  const failed = dialog.getByTestId('copy-failed');
  await failed.waitFor();
  assert.match((await failed.textContent())!, /does not allow copying here: the text is selected/);
  assert.equal(await page.evaluate(() => String(window.getSelection()).trim()), token, 'the token is selected for copying by hand');
  await screenshot(page, 'guard-copy-failed');
  // It was copied once (by the fallback): Close does not ask.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
});

test('Admin: no Delete on one’s own account nor on an account owning sessions; the others can be deleted', async () => {
  const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
  const owner = await trpc<{ password: string }>(env.wago.url, admin, 'account.create', { email: 'owner@example.test', role: 'tenant' }, { mutation: true });
  const ownerCookie = (await signIn(env.wago.url, 'owner@example.test', owner.data!.password))!;
  await trpc(env.wago.url, ownerCookie, 'session.create', { name: 'Owned' }, { mutation: true });
  await trpc(env.wago.url, admin, 'account.create', { email: 'free@example.test', role: 'tenant' }, { mutation: true });

  await page.goto(`${env.wago.url}/dashboard/admin`);
  const row = (email: string) => page.locator(`[data-testid="account-row"][data-email="${email}"]`);
  await row('free@example.test').waitFor();
  assert.equal(await row(ADMIN_EMAIL).getByRole('button', { name: /^Delete/ }).count(), 0, 'no Delete on one’s own account');
  assert.equal((await row(ADMIN_EMAIL).getByTestId('no-delete').textContent())?.trim(), 'Your own account');
  assert.equal(await row('owner@example.test').getByRole('button', { name: /^Delete/ }).count(), 0, 'no Delete on an account owning sessions');
  assert.match((await row('owner@example.test').getByTestId('no-delete').textContent())!, /Owns 1 session/);
  await screenshot(page, 'guard-accounts');

  await row('free@example.test').getByRole('button', { name: 'Delete free@example.test' }).click();
  await page.getByRole('dialog', { name: 'Delete account?' }).getByRole('button', { name: 'Delete account' }).click();
  await row('free@example.test').waitFor({ state: 'detached' });
  assert.equal(await env.wago.runtime.prisma.account.findUnique({ where: { email: 'free@example.test' } }), null);
});

test('the session page renames and deletes its session; the owner is shown to admins', async () => {
  const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
  const owner = await env.wago.runtime.prisma.account.findUniqueOrThrow({ where: { email: 'owner@example.test' } });
  const session = await env.wago.runtime.prisma.session.findFirstOrThrow({ where: { ownerId: owner.id } });
  await page.goto(`${env.wago.url}/dashboard/sessions/${session.id}`);
  await page.getByRole('heading', { name: 'Owned' }).waitFor();
  assert.equal((await page.getByTestId('session-owner').textContent())?.trim(), 'owner@example.test');
  assert.equal((await page.getByTestId('session-linked-at').textContent())?.trim(), 'never');

  await page.getByRole('button', { name: 'Rename Owned' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename session' });
  await rename.locator('input[name="name"]').fill('Sales line');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('heading', { name: 'Sales line' }).waitFor();
  assert.equal((await env.wago.runtime.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).name, 'Sales line');
  await screenshot(page, 'guard-session-renamed');

  await page.getByRole('button', { name: 'Delete Sales line' }).click();
  await page.getByRole('dialog', { name: 'Delete session?' }).getByRole('button', { name: 'Delete session' }).click();
  await page.waitForURL((url) => url.pathname === '/dashboard');
  assert.equal(await env.wago.runtime.prisma.session.findUnique({ where: { id: session.id } }), null, 'deleted');
  assert.equal(await page.locator(`[data-session-id="${session.id}"]`).count(), 0);
  // Now it owns nothing, the owner's account can be deleted (the server agrees with the page).
  assert.equal((await trpc(env.wago.url, admin, 'account.delete', { id: owner.id }, { mutation: true })).status, 200);
});

test('styled 404 and 403 pages; a favicon', async () => {
  const missing = await page.goto(`${env.wago.url}/dashboard/no-such-page`);
  assert.equal(missing?.status(), 404);
  const card = page.getByTestId('status-page');
  await card.getByRole('heading', { name: 'Page not found' }).waitFor();
  const styled = await card.evaluate((el) => {
    const box = el.firstElementChild!;
    const style = getComputedStyle(box);
    return { radius: style.borderTopLeftRadius, background: style.backgroundColor, font: getComputedStyle(document.body).fontFamily };
  });
  assert.notEqual(styled.radius, '0px', 'the page is styled (rounded card)');
  assert.equal(styled.background, 'rgb(255, 255, 255)');
  await screenshot(page, 'guard-404');
  await page.getByRole('link', { name: /Back to the dashboard/ }).click();
  await page.waitForURL((url) => url.pathname === '/dashboard');

  const tenantContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
    const created = await trpc<{ password: string }>(env.wago.url, admin, 'account.create', { email: 'visitor@example.test', role: 'tenant' }, { mutation: true });
    const tenant = await tenantContext.newPage();
    await signInThroughForm(tenant, env.wago.url, 'visitor@example.test', created.data!.password);
    const forbidden = await tenant.goto(`${env.wago.url}/dashboard/admin`);
    assert.equal(forbidden?.status(), 403);
    await tenant.getByTestId('status-page').getByRole('heading', { name: 'Admins only' }).waitFor();
    await screenshot(tenant, 'guard-403-mobile');
  } finally {
    await tenantContext.close();
  }

  const ico = await fetch(`${env.wago.url}/favicon.ico`);
  assert.equal(ico.status, 200);
  assert.match(ico.headers.get('content-type') ?? '', /image\/(x-icon|vnd\.microsoft\.icon)/);
  assert.deepEqual([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)], [0, 0, 1, 0], 'an ICO file');
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"], link[rel="icon"][href*="icon.svg"]').first().getAttribute('href');
  assert.ok(href, 'the pages link an SVG icon');
  const svg = await fetch(new URL(href, env.wago.url));
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/);
});

test('"Live" turns off within a few seconds when the server goes away; the page says it is reconnecting, then recovers', async () => {
  await page.goto(`${env.wago.url}/dashboard`);
  const indicator = page.getByTestId('live-indicator');
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 15_000 });
  const port = env.wago.port;

  const stopping = env.wago.stop();
  // "A few seconds": the stop closes live connections at once; the page must notice and say so.
  await page.locator('[data-testid="live-indicator"][data-status="reconnecting"]').waitFor({ timeout: 8_000 });
  assert.equal((await indicator.textContent())?.trim(), 'Reconnecting…');
  assert.equal(await indicator.getAttribute('data-connected'), 'false');
  await page.getByTestId('reconnecting-banner').getByText('Can’t reach the server — reconnecting').waitFor({ timeout: 5_000 });
  await stopping;

  // A change tried meanwhile says the server cannot be reached, never "Failed to fetch".
  await page.getByRole('button', { name: 'New session' }).click();
  await page.locator('input[name="name"]').fill('While offline');
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.getByRole('dialog').getByText(/Can’t reach the server/).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByText('Failed to fetch').count(), 0);
  await screenshot(page, 'guard-reconnecting');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await env.restart({ PORT: String(port) });
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 20_000 });
  await page.getByTestId('reconnecting-banner').waitFor({ state: 'detached' });
  await waitFor('the list refreshed', async () => (await page.getByTestId('session-row').count()) > 0);
});
