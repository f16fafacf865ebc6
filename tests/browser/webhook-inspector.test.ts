import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startEmulatedWago, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';
import { WebhookReceiver } from '../helpers/webhook-receiver';

// The webhook inspector in Debian's chromium against the real server (production build): a failing
// receiver's delivery shows failing with its attempts, then delivered once the receiver recovers;
// a redelivery is confirmed; the inspector fits a phone's width.
let env: EmulatedWago;
let browser: Browser;
let page: Page;
const receiver = new WebhookReceiver();
let token: string;
let sessionId: string;
let eventId: string;
let down = true;

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  await receiver.start();
  receiver.respond('/inspected', () => (down ? 500 : 200));
  const init = await env.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'Inspector' } });
  token = init.body.data!.token;
  sessionId = init.body.data!.session.id;
  assert.equal((await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: receiver.url('/inspected') } })).status, 200);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await receiver.stop();
  await env?.stop();
});

test('a failing receiver: the delivery shows failing with its attempts, codes and answer; delivered once the receiver recovers', async () => {
  const sent = await env.wago.call<{ EventId: string }>('POST', '/webhook/test', { token });
  eventId = sent.body.data!.EventId;
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  const row = page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"]`);
  await row.and(page.locator('[data-state="failing"]')).waitFor({ timeout: 20_000 });
  await row.getByRole('button', { name: `Inspect Test event ${eventId}` }).click();

  const inspector = page.getByTestId('delivery-inspector');
  await inspector.and(page.locator('[data-state="failing"]')).waitFor();
  const attempts = inspector.getByTestId('delivery-attempt');
  await attempts.first().waitFor();
  assert.equal(await attempts.first().getAttribute('data-status-code'), '500');
  await inspector.getByTestId('attempt-response').first().filter({ hasText: 'nope' }).waitFor();
  await inspector.getByText('HTTP 500: nope').first().waitFor();
  const headers = inspector.getByTestId('delivery-headers');
  await headers.getByText('x-wago-signature').waitFor();
  await headers.getByText(/^sha256=[0-9a-f]{64}$/).waitFor();
  await headers.getByText(eventId).waitFor();
  await inspector.getByTestId('delivery-body').filter({ hasText: '"type": "Test"' }).waitFor();
  await screenshot(page, 'webhook-inspector-01-failing');

  // The failing filter lists it; the dead filter says why it is empty.
  const filter = page.getByLabel('Filter deliveries by state');
  await filter.selectOption('failing');
  await page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"][data-state="failing"]`).waitFor();
  await filter.selectOption('dead');
  await page.locator('[data-testid="deliveries-empty"][data-filter="dead"]').getByText('No dead events').waitFor();
  await filter.selectOption('all');

  down = false;
  // The next retry comes after the backoff (1 s, 2 s, 4 s … by now): up to half a minute.
  await inspector.and(page.locator('[data-state="delivered"]')).waitFor({ timeout: 60_000 });
  await page.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"][data-state="delivered"]`).waitFor({ timeout: 10_000 });
  const last = attempts.first(); // newest first
  await last.and(page.locator('[data-status-code="200"]')).waitFor();
  const count = await attempts.count();
  assert.ok(count >= 2, `${count} attempts shown`);
  assert.equal(count, receiver.forPath('/inspected').filter((r) => r.eventId === eventId).length, 'one per request the receiver got');
  await screenshot(page, 'webhook-inspector-02-delivered');
});

test('redelivery: a confirmation says it is queued, and the receiver gets the event again under the same id', async () => {
  const before = receiver.accepted('/inspected').filter((r) => r.eventId === eventId).length;
  await page.getByTestId('delivery-inspector').getByRole('button', { name: 'Redeliver' }).click();
  const confirmation = page.getByTestId('redeliver-confirmation');
  await confirmation.waitFor();
  assert.match(await confirmation.innerText(), new RegExp(`Redelivery queued: Test event ${eventId} \\(was delivered\\)`));
  await waitFor('the redelivery', async () => receiver.accepted('/inspected').filter((r) => r.eventId === eventId).length === before + 1, 15_000);
  await page.getByTestId('delivery-inspector').and(page.locator('[data-state="delivered"]')).waitFor({ timeout: 15_000 });
  await screenshot(page, 'webhook-inspector-03-redelivered');
});

test('at 390×844 the inspector fits: no sideways page scroll', async () => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  try {
    await signInThroughForm(phone, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await phone.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
    const row = phone.locator(`[data-testid="delivery-row"][data-event-id="${eventId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: `Inspect Test event ${eventId}` }).click();
    const inspector = phone.getByTestId('delivery-inspector');
    await inspector.getByTestId('delivery-attempt').first().waitFor();
    await inspector.scrollIntoViewIfNeeded();
    // What sticks out of the view unclipped (named in the failure message). A string: the bundler's helpers do not exist in the page.
    const widths = (await phone.evaluate(`(() => {
      const clipped = (e) => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
      const sticksOut = (e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e);
      const wide = [...document.querySelectorAll('body *')].filter((e) => sticksOut(e) && ![...e.children].some(sticksOut));
      const names = wide.slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + String(e.className).slice(0, 80) + ' "' + (e.textContent || '').slice(0, 40) + '"');
      return { page: document.documentElement.scrollWidth, view: window.innerWidth, names };
    })()`)) as { page: number; view: number; names: string[] };
    assert.ok(widths.page <= widths.view, `page ${widths.page} px wide in a ${widths.view} px view: ${widths.names.join(' | ')}`);
    const box = await inspector.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `inspector inside the view: ${JSON.stringify(box)}`);
    await screenshot(phone, 'webhook-inspector-04-phone');
  } finally {
    await phone.close();
  }
});
