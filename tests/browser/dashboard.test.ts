import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startEmulatedWago, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';
import { WebhookReceiver } from '../helpers/webhook-receiver';

// The dashboard in Debian's chromium against the real server (production build), real
// PostgreSQL and the WhatsApp emulator. Screenshots go to test-results/screenshots/.
let env: EmulatedWago;
let browser: Browser;
let page: Page;
let receiver: WebhookReceiver;
let sessionUrl: string;
let sessionId: string;
let token: string;

before(async () => {
  // QR codes rotate every 4 s here (WhatsApp's own pace is slower), so the test sees one rotate.
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD, WAGO_QR_TIMEOUT_MS: '4000' }, { next: true });
  receiver = new WebhookReceiver();
  await receiver.start();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await receiver?.stop();
  await env?.stop();
});

/** A marker on `window` that survives only as long as the page is not reloaded. */
async function markPage(on: Page = page): Promise<void> {
  await on.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
async function assertNotReloaded(on: Page = page): Promise<void> {
  assert.equal(await on.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, 'the page was not reloaded');
}

test('sign in: /dashboard sends a signed-out visitor to the login page; a wrong password is refused', async () => {
  await page.goto(`${env.wago.url}/dashboard`);
  await page.waitForURL(/\/login\?callbackUrl=%2Fdashboard/);
  await screenshot(page, '01-login');
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('wrong-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password' }).waitFor();
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByTestId('signed-in-as').filter({ hasText: ADMIN_EMAIL }).waitFor();
  await page.getByText('No sessions yet').waitFor();
  await screenshot(page, '02-sessions-empty');
});

test('create a session: the token is shown once, then the detail page opens', async () => {
  await page.getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Name').fill('Support line');
  await page.getByRole('button', { name: 'Create session' }).click();
  token = (await page.getByTestId('secret-value').textContent())!.trim();
  assert.match(token, /^[A-Za-z0-9_-]{32}$/);
  const status = await env.wago.call<{ State: string }>('GET', '/session/status', { token });
  assert.equal(status.status, 200, 'the token shown works on the REST API');
  await screenshot(page, '03-session-created');
  await page.getByRole('button', { name: /Link it to WhatsApp/ }).click();
  // The token was not copied: the shown-once dialog asks first.
  await page.getByTestId('shown-once-confirm').getByRole('button', { name: 'Close anyway' }).click();
  await page.waitForURL(/\/dashboard\/sessions\/[0-9a-f-]{36}$/);
  sessionUrl = page.url();
  sessionId = sessionUrl.split('/').pop()!;
  await page.getByRole('heading', { name: 'Support line' }).waitFor();
});

test('link by QR through the emulator: the QR follows WhatsApp’s rotation, the badge turns connected, no reload', async () => {
  await markPage();
  await page.getByRole('button', { name: 'Link with QR code' }).click();
  const qr = page.getByTestId('qr-image');
  await qr.waitFor({ timeout: 20_000 });
  const first = await qr.getAttribute('data-code');
  assert.ok(first && first.split(',').length >= 4, `the QR carries the pairing data: ${first}`);
  await page.getByText(/expires in \d+/).first().waitFor();
  await screenshot(page, '04-session-qr');
  // WhatsApp rotates the code; the page shows the new one without a reload.
  await page.waitForFunction((old) => {
    const code = document.querySelector('[data-testid="qr-image"]')?.getAttribute('data-code');
    return code && code !== old;
  }, first, { timeout: 15_000 });
  const code = await qr.getAttribute('data-code');
  assert.notEqual(code, first);
  await env.emu.control.scanQr(code!, OWNER_PHONE);
  await page.locator('[data-testid="state-badge"][data-state="connected"]').first().waitFor({ timeout: 20_000 });
  await page.getByText(`+${OWNER_PHONE}`).first().waitFor();
  await assertNotReloaded();
});

test('a message from a contact appears live in the event stream and the message log', async () => {
  await markPage();
  const sent = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'Hello from the emulator 👋' });
  const item = page.getByTestId('event-stream').getByTestId('event-item').filter({ hasText: 'Hello from the emulator' });
  await item.first().waitFor({ timeout: 15_000 });
  assert.equal(await item.first().getAttribute('data-type'), 'Message');
  await page.getByTestId('message-row').filter({ hasText: 'Hello from the emulator' }).first().waitFor({ timeout: 15_000 });
  assert.ok(sent.id, 'the emulator sent a message id');
  await assertNotReloaded();
});

test('the message log searches stored text', async () => {
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'invoice number 4711 attached' });
  await page.getByTestId('message-row').filter({ hasText: 'invoice number 4711' }).first().waitFor({ timeout: 15_000 });
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('invoice');
  await waitFor('the search result', async () => {
    const rows = await page.getByTestId('message-row').allTextContents();
    return rows.length === 1 && rows[0]!.includes('4711');
  });
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('');
});

test('send a test message: the emulated contact receives it', async () => {
  await page.getByLabel('Recipient').fill(ALICE);
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Sent from the dashboard');
  await page.getByRole('button', { name: 'Send message' }).click();
  const [got] = await env.emu.control.waitForReceived(ALICE, { predicate: (m) => m.text === 'Sent from the dashboard', timeoutMs: 15_000 });
  assert.equal(got!.fromPhone, OWNER_PHONE);
  await page.getByText(/Sent · /).first().waitFor();
  await page.getByTestId('message-row').filter({ hasText: 'Sent from the dashboard' }).first().waitFor({ timeout: 15_000 });
  await screenshot(page, '05-session-connected');
});

test('the sessions list follows state changes live (here made over the REST API)', async () => {
  const list = await page.context().newPage(); // same browser profile: signed in
  try {
    await list.goto(`${env.wago.url}/dashboard`);
    const badge = list.locator(`[data-session-id="${sessionId}"] [data-testid="state-badge"]`);
    await list.locator(`[data-session-id="${sessionId}"] [data-testid="state-badge"][data-state="connected"]`).waitFor();
    await list.getByTestId('live-indicator').and(list.locator('[data-connected="true"]')).waitFor();
    await markPage(list);
    assert.equal((await env.wago.call('POST', '/session/disconnect', { token })).status, 200);
    await list.locator(`[data-session-id="${sessionId}"] [data-testid="state-badge"][data-state="disconnected"]`).waitFor({ timeout: 15_000 });
    assert.equal((await env.wago.call('POST', '/session/connect', { token })).status, 200);
    await list.locator(`[data-session-id="${sessionId}"] [data-testid="state-badge"][data-state="connected"]`).waitFor({ timeout: 20_000 });
    assert.equal(await badge.getAttribute('data-state'), 'connected');
    await assertNotReloaded(list);
    await screenshot(list, '05b-sessions-list');
  } finally {
    await list.close();
  }
});

test('webhook: save settings, send a test event, see the delivery live, redeliver it', async () => {
  await page.getByLabel('Webhook URL').fill(receiver.url('/dashboard'));
  await page.getByRole('button', { name: 'Save webhook' }).click();
  const secret = (await page.getByTestId('secret-value').first().textContent())!.trim();
  assert.match(secret, /^whsec_/, 'the signing secret is shown once');
  await page.getByRole('button', { name: 'Send test event' }).click();
  const row = page.locator('[data-testid="delivery-row"][data-status="delivered"]');
  await row.first().waitFor({ timeout: 15_000 });
  const eventId = await row.first().getAttribute('data-event-id');
  await waitFor('the receiver got the test event', async () => receiver.accepted('/dashboard').some((r) => r.eventId === eventId));
  const before = receiver.accepted('/dashboard').filter((r) => r.eventId === eventId).length;
  await page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"]`).getByRole('button', { name: 'Redeliver' }).click();
  await waitFor('the redelivery', async () => receiver.accepted('/dashboard').filter((r) => r.eventId === eventId).length === before + 1, 15_000);
  await page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"][data-status="delivered"]`).waitFor({ timeout: 15_000 });
  await screenshot(page, '06-session-webhooks');
});

test("a tenant cannot open another tenant's session page nor call its procedures", async () => {
  await page.goto(`${env.wago.url}/dashboard/admin`);
  await page.getByRole('button', { name: 'New account' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('E-mail').fill('tenant@example.test');
  await dialog.getByRole('button', { name: /Create/ }).click();
  const password = (await dialog.getByTestId('secret-value').textContent())!.trim();
  await dialog.getByRole('button', { name: /Close|Done/ }).first().click();
  await page.getByTestId('shown-once-confirm').getByRole('button', { name: 'Close anyway' }).click();
  await page.locator('[data-testid="account-row"][data-email="tenant@example.test"]').waitFor();
  await screenshot(page, '07-admin');

  const tenantContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const tenant = await tenantContext.newPage();
  try {
    await signInThroughForm(tenant, env.wago.url, 'tenant@example.test', password);
    await tenant.getByText('No sessions yet').waitFor();
    await screenshot(tenant, '08-tenant-sessions-mobile');
    await tenant.goto(sessionUrl);
    await tenant.getByText('Session not found').waitFor();
    const answer = await tenant.evaluate(async (id) => {
      const res = await fetch(`/api/trpc/session.get?input=${encodeURIComponent(JSON.stringify({ sessionId: id }))}`);
      return { status: res.status, body: (await res.json()) as { error?: { data?: { code?: string } } } };
    }, sessionId);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error?.data?.code, 'NOT_FOUND');
    const send = await tenant.evaluate(async (id) => {
      const res = await fetch('/api/trpc/message.sendText', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: id, phone: '15550002001', body: 'not mine' }) });
      return res.status;
    }, sessionId);
    assert.equal(send, 404);
    await tenant.goto(`${env.wago.url}/dashboard/admin`);
    assert.equal((await tenant.goto(`${env.wago.url}/dashboard/admin`))?.status(), 403, 'the admin page is not for tenants');
    await tenant.getByRole('heading', { name: 'Admins only' }).waitFor();

    // The tenant replaces the generated password: signed out, then in again with the new one.
    await tenant.goto(`${env.wago.url}/dashboard/account`);
    await screenshot(tenant, '10-account-mobile');
    await tenant.getByLabel('Current password').fill(password);
    await tenant.locator('input[name="next"]').fill('tenant-own-password-1');
    await tenant.getByLabel('Repeat the new password').fill('tenant-own-password-1');
    await new Promise((r) => setTimeout(r, 1100)); // sign-ins carry whole seconds
    await tenant.getByRole('button', { name: 'Change password' }).click();
    await tenant.waitForURL(/\/login\?changed=1/);
    await tenant.getByText('Password changed: sign in with the new one.').waitFor();
    await tenant.getByLabel('E-mail').fill('tenant@example.test');
    await tenant.getByLabel('Password').fill('tenant-own-password-1');
    await tenant.getByRole('button', { name: 'Sign in' }).click();
    await tenant.waitForURL((url) => url.pathname === '/dashboard');
  } finally {
    await tenantContext.close();
  }
  assert.equal(env.emu.control.received(ALICE).some((m) => m.text === 'not mine'), false, 'nothing was sent');
});

test('sign out: back to the login page, and the dashboard needs signing in again', async () => {
  await page.goto(`${env.wago.url}/dashboard`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await page.goto(`${env.wago.url}/dashboard`);
  await page.waitForURL(/\/login/);
});
