import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulatedWago, waitFor, OWNER_PHONE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// Operator tools in Debian's chromium: the paginated sessions list (search, filters, row actions),
// tenants' API keys (scoped to their own sessions, in REST and in the dashboard), the Servers view.
let env: EmulatedWago;
let browser: Browser;
const A = { email: 'alpha@tenant.test', password: 'alpha-password-0123' };
const B = { email: 'bravo@tenant.test', password: 'bravo-password-0123' };
let cookieA: string;
let cookieB: string;
let bSessionId: string;
let bKeyName: string;
let linkedName: string;
let linkedToken: string;

async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: env.db.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  browser = await launchChromium();
  const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
  for (const t of [A, B]) {
    const made = await trpc(env.wago.url, admin, 'account.create', { email: t.email, role: 'tenant', password: t.password }, { mutation: true });
    assert.ok(!made.error, made.error?.message);
  }
  cookieA = (await signIn(env.wago.url, A.email, A.password))!;
  cookieB = (await signIn(env.wago.url, B.email, B.password))!;
  for (let i = 0; i < 27; i++) {
    const r = await trpc(env.wago.url, cookieA, 'session.create', { name: `alpha-${String(i).padStart(3, '0')}` }, { mutation: true });
    assert.ok(!r.error, r.error?.message);
  }
  const b = await trpc<{ session: { id: string } }>(env.wago.url, cookieB, 'session.create', { name: 'bravo-private' }, { mutation: true });
  bSessionId = b.data!.session.id;
  bKeyName = `bravo key ${randomUUID().slice(0, 8)}`;
  await trpc(env.wago.url, cookieB, 'apiKey.create', { name: bKeyName }, { mutation: true });
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

async function signedIn(who: { email: string; password: string }, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signInThroughForm(page, env.wago.url, who.email, who.password);
  return { context, page };
}

const rows = (page: Page) => page.getByTestId('session-row');

test('a tenant creates an API key in the dashboard (shown once); with it, REST reaches only its own sessions; its page shows only its own keys', async () => {
  const { context, page } = await signedIn(A);
  await page.goto(`${env.wago.url}/dashboard/account`);
  await page.getByLabel('Key name').fill('alpha integration');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('secret-value').textContent())!.trim();
  assert.match(key, /^wago_/);
  await page.getByTestId('api-key').filter({ hasText: 'alpha integration' }).waitFor();
  assert.equal(await page.getByTestId('api-key').filter({ hasText: bKeyName }).count(), 0, "B's key is not listed");
  assert.ok(!(await page.content()).includes(bKeyName));
  await screenshot(page, 'operator-01-api-key');

  // With A's key: lists A's 27 sessions, never B's; B's session is unknown (404) and untouched.
  const all = await env.wago.call<Array<{ id: string; name: string }>>('GET', '/session/all', { admin: key });
  assert.equal(all.status, 200);
  assert.equal(all.body.data!.length, 27);
  assert.ok(!all.body.data!.some((s) => s.id === bSessionId));
  const del = await env.wago.call('POST', '/session/delete', { admin: key, body: { Id: bSessionId } });
  assert.equal(del.status, 404);
  assert.equal((await sql('SELECT id FROM sessions WHERE id = $1', [bSessionId])).length, 1, "B's session still exists");
  assert.equal((await env.wago.call('GET', '/server/stats', { admin: key })).status, 403, 'server-wide routes refuse a tenant key');

  // A session made with the key belongs to A and is linked (used by the row-action test).
  linkedName = 'alpha-linked';
  const init = await env.wago.call<{ token: string; session: { ownerId: string } }>('POST', '/session/init', { admin: key, body: { Name: linkedName } });
  linkedToken = init.body.data!.token;
  await env.wago.call('POST', '/session/connect', { token: linkedToken });
  const qr = await waitFor('qr', async () => (await env.wago.call<{ Code: string }>('GET', '/session/qr', { token: linkedToken })).body.data?.Code);
  await env.emu.control.scanQr(qr, OWNER_PHONE);
  await waitFor('connected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token: linkedToken })).body.data!.Connected);

  // Revoked in the dashboard: the key stops at once.
  await page.getByRole('button', { name: 'Revoke alpha integration' }).click();
  await page.getByTestId('api-key').filter({ hasText: 'alpha integration' }).getByText('revoked').waitFor();
  assert.equal((await env.wago.call('GET', '/session/all', { admin: key })).status, 401);
  await context.close();
});

test('the sessions list: server-side pages, search, state and failing-webhook filters; only own sessions', async () => {
  const { context, page } = await signedIn(A);
  await page.getByTestId('page-status').filter({ hasText: 'Page 1 of 2' }).waitFor();
  assert.equal(await rows(page).count(), 25, 'a page holds 25 rows');
  assert.equal(await page.getByText('bravo-private').count(), 0, "B's session is not shown");
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.getByTestId('page-status').filter({ hasText: 'Page 2 of 2' }).waitFor();
  await waitFor('3 rows on page 2', async () => (await rows(page).count()) === 3);

  await page.getByLabel('Search sessions').fill('alpha-007');
  await waitFor('one match', async () => (await rows(page).count()) === 1 && (await rows(page).first().textContent())!.includes('alpha-007'));
  await page.getByLabel('Search sessions').fill('bravo');
  await page.getByText('No session matches').waitFor();
  await page.getByLabel('Search sessions').fill('');

  await page.getByLabel('State').selectOption('connected');
  await waitFor('only the connected one', async () => (await rows(page).count()) === 1 && (await rows(page).first().textContent())!.includes(linkedName));
  await page.getByLabel('State').selectOption('');

  // A webhook event being retried after a failed attempt: the row shows it, the filter finds it.
  const [failing] = await sql(`SELECT id FROM sessions WHERE name = 'alpha-011'`);
  await sql(`INSERT INTO webhook_events (event_id, session_id, type, payload, status, attempts, last_error) VALUES ($1, $2, 'Message', '{}', 'pending', 3, 'HTTP 500')`, [randomUUID(), failing!.id]);
  await page.reload();
  await page.getByLabel('Failing webhook').check();
  await waitFor('only the failing one', async () => (await rows(page).count()) === 1 && (await rows(page).first().textContent())!.includes('alpha-011'));
  await rows(page).first().getByTestId('failing-webhook').waitFor();
  await screenshot(page, 'operator-02-failing-filter');
  await context.close();
});

test('row actions: stop then start a linked session from its row', async () => {
  const { context, page } = await signedIn(A);
  await page.getByLabel('Search sessions').fill(linkedName);
  const row = rows(page).filter({ hasText: linkedName });
  await row.locator('[data-testid="state-badge"][data-state="connected"]').waitFor();
  await row.getByRole('button', { name: `Stop ${linkedName}`, exact: true }).click();
  await row.locator('[data-testid="state-badge"][data-state="disconnected"]').waitFor({ timeout: 20_000 });
  assert.equal((await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token: linkedToken })).body.data!.Connected, false);
  await row.getByRole('button', { name: `Start ${linkedName}`, exact: true }).click();
  await row.locator('[data-testid="state-badge"][data-state="connected"]').waitFor({ timeout: 30_000 });
  assert.equal((await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token: linkedToken })).body.data!.Connected, true);
  await screenshot(page, 'operator-03-row-actions');
  await context.close();
});

test('on a 390×844 phone the sessions list and the account page do not scroll sideways', async () => {
  const { context, page } = await signedIn(A, { width: 390, height: 844 });
  for (const path of ['/dashboard', '/dashboard/account']) {
    await page.goto(`${env.wago.url}${path}`);
    await page.waitForLoadState('networkidle');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    // What sticks out (outside a box that scrolls on its own), to name it when the page is too wide.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 391 && !el.closest('.overflow-x-auto'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').split(' ').slice(0, 4).join('.')} (${Math.round(el.getBoundingClientRect().right)}px)`),
    );
    assert.ok(width <= 390, `${path} is ${width}px wide: ${wide.join(', ')}`);
  }
  await screenshot(page, 'operator-04-phone-account');
  await context.close();
});

test('the admin sees the Servers view: this process, its sessions and heartbeat; a tenant gets no admin page', async () => {
  const { context, page } = await signedIn({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await page.goto(`${env.wago.url}/dashboard/admin`);
  const card = page.getByTestId('server-card').filter({ hasText: 'this process' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-stale'), 'false');
  assert.equal((await card.getByTestId('server-sessions').textContent())!.trim(), '1', 'the linked session runs here');
  await screenshot(page, 'operator-05-servers');
  await context.close();
  const tenant = await trpc(env.wago.url, cookieA, 'servers.list');
  assert.equal(tenant.error?.code, 'FORBIDDEN');
});
