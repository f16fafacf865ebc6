import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import { waitFor } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';
import { createAccount } from '../../server/services/account.service';

// The event history's walls in Debian's chromium, against the real server (production build): a
// tenant's stream holds its own sessions' events only (stored and live), an admin's holds every
// session's, and asking for another tenant's session answers like a session that does not exist.
let db: TestDatabase;
let wago: TestWago;
let browser: Browser;
let adminSession: string;
let tenantSession: string;
const TENANT_EMAIL = 'tenant@example.test';
const TENANT_PASSWORD = 'tenant-password-0123';

before(async () => {
  db = await createTestDatabase();
  wago = await startTestWago({ databaseUrl: db.url, next: true, env: { WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const prisma = wago.runtime.prisma;
  const admin = await prisma.account.findUniqueOrThrow({ where: { email: ADMIN_EMAIL } });
  const { account } = await createAccount({ id: admin.id, email: admin.email, name: null, role: 'admin' }, { email: TENANT_EMAIL, role: 'tenant', password: TENANT_PASSWORD });
  const init = async (name: string) => (await wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } })).body.data!.session.id;
  adminSession = await init('Operator session');
  tenantSession = await init('Tenant session');
  await prisma.session.update({ where: { id: tenantSession }, data: { ownerId: account.id } });
  await wago.runtime.events.publish(adminSession, 'Test', { message: 'operator secret event' });
  await wago.runtime.events.publish(tenantSession, 'Test', { message: 'tenant stored event' });
  await waitFor('both events in the log', async () => (await prisma.sessionEvent.count()) >= 2);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await wago?.stop();
  await db?.drop();
});

const items = (p: Page) => p.getByTestId('event-stream').getByTestId('event-item');
const sessionsShown = (p: Page) => items(p).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-session-id')))]);

test("a tenant's event stream holds its own sessions' events only, stored and live", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await signInThroughForm(page, wago.url, TENANT_EMAIL, TENANT_PASSWORD);
    await page.goto(`${wago.url}/dashboard/events`);
    await items(page).filter({ hasText: 'tenant stored event' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await sessionsShown(page), [tenantSession]);
    const options = await page.getByTestId('event-session-filter').locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(options, ['', tenantSession], 'the session filter offers only its own session');
    assert.equal(await page.getByText('operator secret event').count(), 0);

    await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
    await wago.runtime.events.publish(adminSession, 'Test', { message: 'operator live event' });
    await wago.runtime.events.publish(tenantSession, 'Test', { message: 'tenant live event' });
    await items(page).filter({ hasText: 'tenant live event' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.getByText('operator live event').count(), 0, "another tenant's live events never reach the page");
    await screenshot(page, 'events-04-tenant');

    // Reloaded, the stream is the same: both of the tenant's events, from the event log.
    await page.reload();
    await items(page).filter({ hasText: 'tenant live event' }).waitFor({ timeout: 15_000 });
    await items(page).filter({ hasText: 'tenant stored event' }).waitFor();
    assert.deepEqual(await sessionsShown(page), [tenantSession]);
  } finally {
    await context.close();
  }
});

test("asking for another tenant's session's events answers NOT_FOUND; an admin's stream holds every session", async () => {
  const tenant = await signIn(wago.url, TENANT_EMAIL, TENANT_PASSWORD);
  const refused = await trpc(wago.url, tenant, 'event.list', { sessionId: adminSession });
  assert.equal(refused.error?.httpStatus, 404);
  assert.ok(!JSON.stringify(refused).includes('operator'), 'nothing of it in the answer');
  const unknown = await trpc(wago.url, tenant, 'event.list', { sessionId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(unknown.error?.message, refused.error?.message, 'exactly like a session that does not exist');
  const mine = await trpc<Array<{ sessionId: string }>>(wago.url, tenant, 'event.list', {});
  assert.ok(mine.data!.length >= 2 && mine.data!.every((e) => e.sessionId === tenantSession));

  const admin = await signIn(wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const all = await trpc<Array<{ sessionId: string }>>(wago.url, admin, 'event.list', {});
  assert.deepEqual(new Set(all.data!.map((e) => e.sessionId)), new Set([adminSession, tenantSession]));
  const noCookie = await trpc(wago.url, null, 'event.list', {});
  assert.equal(noCookie.error?.httpStatus, 401);
});
