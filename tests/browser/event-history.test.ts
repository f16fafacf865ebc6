import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';

// The event history in Debian's chromium, against the real server (production build) and the
// WhatsApp emulator: stored events survive a reload, filters and search, the admin's stream over
// every session (a tenant's view: event-history-tenants.test.ts).
let env: EmulatedWago;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionA: string;
let sessionB: string;

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  await linkedSession(env, 'Events A');
  sessionA = (await env.wago.runtime.prisma.session.findFirstOrThrow({ where: { name: 'Events A' } })).id;
  // A second session that only asks for a QR code and stops: its events are StateChanged and QR.
  const init = await env.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'Events B' } });
  sessionB = init.body.data!.session.id;
  const tokenB = init.body.data!.token;
  await env.wago.call('POST', '/session/connect', { token: tokenB });
  await waitFor('a QR for B', async () => (await env.wago.call<{ Code: string }>('GET', '/session/qr', { token: tokenB })).body.data?.Code);
  await env.wago.call('POST', '/session/disconnect', { token: tokenB });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

const items = (p: Page = page) => p.getByTestId('event-stream').getByTestId('event-item');

test("a session's event stream shows its stored history, keeps live events across a reload, and filters by type and text", async () => {
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionA}`);
  // Linking happened before the page was opened: those events come from the event log.
  await items().and(page.locator('[data-type="Connected"]')).first().waitFor({ timeout: 15_000 });
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();

  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'history probe one' });
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'history probe two' });
  const one = items().filter({ hasText: 'history probe one' }).first();
  await one.waitFor({ timeout: 15_000 });
  await items().filter({ hasText: 'history probe two' }).first().waitFor({ timeout: 15_000 });
  const id = await one.getAttribute('data-event-id');

  await waitFor('the events in the log', async () => (await env.wago.runtime.prisma.sessionEvent.count({ where: { sessionId: sessionA, type: 'Message' } })) >= 2);
  await page.reload();
  const again = items().filter({ hasText: 'history probe one' }).first();
  await again.waitFor({ timeout: 15_000 });
  assert.equal(await again.getAttribute('data-event-id'), id, 'the same event, from the event log');
  await items().filter({ hasText: 'history probe two' }).first().waitFor();

  await page.getByTestId('event-type-filter').selectOption('Message');
  await waitFor('only Message events', async () => {
    const types = await items().evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    return types.length >= 2 && types.every((t) => t === 'Message');
  });
  await page.getByRole('searchbox', { name: 'Search events' }).fill('probe two');
  await waitFor('only the matching event', async () => {
    const texts = await items().allTextContents();
    return texts.length === 1 && texts[0]!.includes('history probe two');
  });
  // A live event that matches the filters joins the list; one that does not, does not.
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'another probe two' });
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'unrelated words' });
  await items().filter({ hasText: 'another probe two' }).first().waitFor({ timeout: 15_000 });
  assert.equal(await items().filter({ hasText: 'unrelated words' }).count(), 0);
  await screenshot(page, 'events-01-session-filtered');
});

test("an admin's all-sessions stream shows events from two sessions and filters by session", async () => {
  await page.goto(`${env.wago.url}/dashboard/events`);
  await items().and(page.locator(`[data-session-id="${sessionA}"]`)).first().waitFor({ timeout: 15_000 });
  await items().and(page.locator(`[data-session-id="${sessionB}"]`)).first().waitFor({ timeout: 15_000 });
  await items().and(page.locator(`[data-session-id="${sessionB}"]`)).first().getByTestId('event-session').filter({ hasText: 'Events B' }).waitFor();
  await screenshot(page, 'events-02-all-sessions');

  await page.getByTestId('event-session-filter').selectOption(sessionB);
  await waitFor("only B's events", async () => {
    const ids = await items().evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id')));
    return ids.length > 0 && ids.every((s) => s === sessionB);
  });
  const types = new Set(await items().evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))));
  assert.ok(types.has('QR') && types.has('StateChanged'), `B's events are its QR and state changes (got ${[...types].join(', ')})`);

  await page.getByTestId('event-session-filter').selectOption(sessionA);
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'live on the events page' });
  await items().filter({ hasText: 'live on the events page' }).first().waitFor({ timeout: 15_000 });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
  try {
    const p = await phone.newPage();
    await p.goto(`${env.wago.url}/dashboard/events`);
    await items(p).first().waitFor({ timeout: 15_000 });
    assert.equal(await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), false, 'no sideways scrolling on a phone');
    await screenshot(p, 'events-03-phone');
  } finally {
    await phone.close();
  }
});
