import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startEmulatedWago, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// The Admin page's Audit log in Debian's chromium against the real server (production build): a
// session deleted through the dashboard shows who, what and when; the filters narrow the list;
// a tenant reaches neither the panel nor the log behind it.
let env: EmulatedWago;
let browser: Browser;
let page: Page;
let doomedId: string;
let keptId: string;
const TENANT = { email: 'audit-tenant@example.test', password: 'audit-tenant-password-0123' };

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  const init = async (name: string) => (await env.wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } })).body.data!.session.id;
  doomedId = await init('Doomed');
  keptId = await init('Kept');
  const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
  assert.equal((await trpc(env.wago.url, admin, 'account.create', { email: TENANT.email, role: 'tenant', password: TENANT.password }, { mutation: true })).status, 200);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

const rows = () => page.getByTestId('audit-row');

test('a session deleted in the dashboard appears in the audit log: who, what, on which session, when, outcome', async () => {
  const started = Date.now();
  await page.goto(`${env.wago.url}/dashboard/sessions/${doomedId}`);
  await page.getByRole('button', { name: /^Delete / }).first().click();
  await page.getByRole('dialog', { name: 'Delete session?' }).getByRole('button', { name: 'Delete session' }).click();
  await page.waitForURL((url) => url.pathname === '/dashboard');

  await page.goto(`${env.wago.url}/dashboard/admin`);
  const row = page.locator('[data-testid="audit-row"][data-action="trpc session.delete"]');
  // The entry is written just after the answer: Refresh until it is there.
  await waitFor('the deletion in the audit log', async () => {
    if ((await row.count()) > 0) return true;
    await page.getByRole('button', { name: 'Refresh' }).click();
    return false;
  });
  assert.equal(await row.count(), 1);
  await row.getByText(ADMIN_EMAIL).waitFor();
  await row.getByText(`session ${doomedId}`).waitFor();
  await row.getByText('200').waitFor();
  const at = Date.parse((await row.locator('td').first().getAttribute('title'))!);
  assert.ok(at >= started - 2_000 && at <= Date.now() + 2_000, `logged when it happened (${new Date(at).toISOString()})`);
  // Newest first: the deletion is above the sessions' creation (admin token, over REST).
  const actions = await rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
  assert.ok(actions.indexOf('trpc session.delete') < actions.indexOf('POST /session/init'), actions.join(', '));
  await screenshot(page, 'audit-log-01-deletion');
});

test('filters: by actor, by action prefix, by session; a bad session id is named; nothing matching says so', async () => {
  const form = page.getByRole('form', { name: 'Filter the audit log' });
  const actionsShown = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));

  await form.getByLabel('Actor').selectOption('admin-token');
  await form.getByRole('button', { name: 'Filter' }).click();
  // Each filter waits for its own answer: rows there, every one matching.
  const shown = (check: string) => page.waitForFunction((c) => {
    const actions = [...document.querySelectorAll('[data-testid="audit-row"]')].map((r) => r.getAttribute('data-action') ?? '');
    return actions.length > 0 && actions.every((a) => (c.startsWith('^') ? a.startsWith(c.slice(1)) : a === c));
  }, check);
  await shown('POST /session/init');
  const byToken = await actionsShown();
  assert.ok(byToken.length >= 2 && byToken.every((a) => a === 'POST /session/init'), byToken.join(', '));

  await form.getByLabel('Actor').selectOption('');
  await form.getByLabel('Action starts with').fill('trpc session.');
  await form.getByRole('button', { name: 'Filter' }).click();
  await shown('^trpc session.');
  assert.deepEqual(await actionsShown(), ['trpc session.delete']);

  await form.getByLabel('Action starts with').fill('');
  await form.getByLabel('Session id').fill(keptId);
  await form.getByRole('button', { name: 'Filter' }).click();
  await shown('POST /session/init');
  assert.deepEqual(await actionsShown(), ['POST /session/init'], 'only the session’s own entry');
  await rows().first().getByText(`session ${keptId}`).waitFor();

  await form.getByLabel('Session id').fill('not-a-session');
  await form.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('Session id: must be a session id (UUID)').waitFor();

  await form.getByLabel('Session id').fill('');
  await form.getByLabel('Action starts with').fill('DELETE /nothing');
  await form.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('Nothing matches these filters yet.').waitFor();
  await screenshot(page, 'audit-log-02-filters');
});

test("a tenant can't reach it: the Admin page is Admins only, the log's procedure is forbidden", async () => {
  const tenantPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  try {
    await signInThroughForm(tenantPage, env.wago.url, TENANT.email, TENANT.password);
    assert.equal(await tenantPage.getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin link for a tenant');
    const res = await tenantPage.goto(`${env.wago.url}/dashboard/admin`);
    assert.equal(res?.status(), 403);
    await tenantPage.getByText('Admins only').waitFor();
    assert.equal(await tenantPage.getByTestId('audit-row').count(), 0);
    const tenant = (await signIn(env.wago.url, TENANT.email, TENANT.password))!;
    const answer = await trpc(env.wago.url, tenant, 'audit.list', {});
    assert.equal(answer.error?.code, 'FORBIDDEN');
    assert.equal(answer.data, undefined);
  } finally {
    await tenantPage.close();
  }
});
