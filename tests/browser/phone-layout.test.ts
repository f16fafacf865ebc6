import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../helpers/dashboard';

// Every main page at phone size (390×844): nothing scrolls sideways, and the page's actions —
// Delete included — are on screen (inside the viewport's width) once scrolled to.

export const PHONE = { width: 390, height: 844 };

/** What a page needs: the sessions made for the tour. */
export interface PhoneTour {
  url: string;
  /** A linked, connected session with a group, a contact and messages. */
  connectedId: string;
  /** A session never linked (its page shows the linking panel). */
  unlinkedId: string;
}

export interface PhonePage {
  /** Screenshot name (phone-<name>.png) and the test's label. */
  name: string;
  as: 'visitor' | 'tenant' | 'admin';
  path: (tour: PhoneTour) => string;
  /** Brings the page into the state to check (opens a tab, a panel…), after `ready` is there. */
  open?: (page: Page, tour: PhoneTour) => Promise<void>;
  /** Waited for before anything is checked. */
  ready: (page: Page) => Locator;
  /** The page's actions: each must be visible and within the phone's width. */
  actions: (page: Page) => Locator[];
}

const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' }).first();

/** The main pages (one line per page or per tab/panel state; new pages are added here). */
export const PHONE_PAGES: PhonePage[] = [
  { name: 'login', as: 'visitor', path: () => '/login', ready: (p) => p.getByLabel('E-mail'), actions: (p) => [button(p, 'Sign in')] },
  {
    name: 'sessions',
    as: 'admin',
    path: () => '/dashboard',
    ready: (p) => p.getByTestId('session-row').first(),
    actions: (p) => [button(p, 'New session'), p.getByRole('button', { name: /^Delete / }).first(), p.getByRole('button', { name: 'Sign out' })],
  },
  {
    name: 'session-connected',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}`,
    ready: (p) => p.locator('[data-testid="state-badge"][data-state="connected"]').first(),
    actions: (p) => [button(p, 'Disconnect'), button(p, 'Log out'), p.getByRole('button', { name: /^Rename / }), p.getByRole('button', { name: /^Delete / }), button(p, 'Regenerate token'), button(p, 'Send message'), button(p, 'Save webhook')],
  },
  {
    name: 'session-groups-contacts',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}`,
    ready: (p) => p.getByTestId('group-row').first(),
    open: async (p) => {
      await p.getByTestId('group-row').first().getByRole('button').click();
      await p.getByTestId('group-detail').waitFor();
      await p.getByTestId('contact-row').first().waitFor();
    },
    actions: (p) => [button(p, 'Leave group'), p.getByTestId('group-detail').getByRole('button', { name: 'Rename' }), p.getByRole('button', { name: /^(Block|Unblock) / }).first()],
  },
  {
    name: 'session-messages-deliveries',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}`,
    ready: (p) => p.getByTestId('message-row').first(),
    open: async (p) => {
      await p.getByTestId('delivery-row').first().waitFor();
    },
    actions: (p) => [p.getByRole('searchbox', { name: 'Search messages' }), p.getByRole('button', { name: /^Redeliver / }).first(), button(p, 'Send test event'), button(p, 'Pause')],
  },
  {
    name: 'session-unlinked',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.unlinkedId}`,
    ready: (p) => p.getByTestId('link-panel'),
    actions: (p) => [button(p, 'Link with QR code'), button(p, 'Get pairing code'), p.getByRole('button', { name: /^Delete / }), p.getByRole('link', { name: 'Link to WhatsApp' }).first()],
  },
  {
    name: 'account',
    as: 'tenant',
    path: () => '/dashboard/account',
    ready: (p) => p.getByTestId('account-email'),
    actions: (p) => [button(p, 'Change password'), p.getByRole('button', { name: 'Sign out' })],
  },
  {
    name: 'admin',
    as: 'admin',
    path: () => '/dashboard/admin',
    ready: (p) => p.getByTestId('account-row').first(),
    actions: (p) => [button(p, 'New account'), p.getByRole('button', { name: 'Delete spare@example.test' }), p.getByRole('button', { name: /^Reset password of / }).first(), p.getByRole('button', { name: /^Delete / }).last()],
  },
  {
    name: 'inbox-list',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}/inbox`,
    ready: (p) => p.getByTestId('conversation').first(),
    actions: (p) => [p.getByTestId('conversation').first(), p.getByRole('button', { name: 'Sign out' })],
  },
  {
    name: 'inbox-thread',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}/inbox`,
    ready: (p) => p.getByTestId('conversation').first(),
    open: async (p) => {
      await p.getByTestId('conversation').first().click();
      await p.getByTestId('bubble').first().waitFor();
    },
    actions: (p) => [button(p, 'Back to the conversations'), button(p, 'Mark as read'), p.getByRole('textbox', { name: 'Message' }), button(p, 'Send')],
  },
  {
    name: 'events',
    as: 'admin',
    path: () => '/dashboard/events',
    ready: (p) => p.getByTestId('event-item').first(),
    actions: (p) => [button(p, 'Pause'), p.getByRole('combobox', { name: 'Session' }), p.getByRole('combobox', { name: 'Event type' }), p.getByRole('searchbox', { name: 'Search events' })],
  },
  {
    name: 'admin-servers-audit',
    as: 'admin',
    path: () => '/dashboard/admin',
    ready: (p) => p.getByTestId('server-card').first(),
    open: async (p) => {
      await p.getByTestId('server-card').first().getByRole('button').first().click();
      await p.getByTestId('audit-row').first().waitFor();
    },
    actions: (p) => [p.getByTestId('server-card').first().getByRole('button').first(), button(p, 'Filter'), button(p, 'Refresh')],
  },
  {
    name: 'account-api-keys',
    as: 'tenant',
    path: () => '/dashboard/account',
    ready: (p) => p.getByLabel('Key name'),
    open: async (p) => {
      await p.getByLabel('Key name').fill('A rather long key name for a phone screen');
      await button(p, 'Create key').click();
      await p.getByTestId('secret-reveal').waitFor();
      await p.getByTestId('api-key').first().waitFor();
    },
    actions: (p) => [button(p, 'Create key'), p.getByTestId('secret-reveal').getByRole('button').first(), p.getByRole('button', { name: /^Revoke / }).first()],
  },
  {
    name: 'session-settings',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}`,
    ready: (p) => p.getByTestId('session-settings'),
    actions: (p) => [p.getByTestId('session-settings').getByRole('checkbox').first(), p.getByTestId('session-settings').getByRole('textbox'), button(p, 'Save message')],
  },
  {
    name: 'webhook-inspector',
    as: 'admin',
    path: (t) => `/dashboard/sessions/${t.connectedId}`,
    // A delivery that failed (the webhook's URL refuses connections): the inspector shows its attempts.
    ready: (p) => p.locator('[data-testid="delivery-row"][data-state="failing"]').first(),
    open: async (p) => {
      await p.locator('[data-testid="delivery-row"][data-state="failing"]').first().getByRole('button', { name: /^Inspect / }).click();
      await p.getByTestId('delivery-attempt').first().waitFor();
    },
    actions: (p) => [p.getByTestId('delivery-inspector').getByRole('button', { name: 'Redeliver' }), p.getByTestId('delivery-inspector').getByRole('button', { name: 'Close' })],
  },
  { name: 'not-found', as: 'admin', path: () => '/dashboard/no-such-page', ready: (p) => p.getByTestId('status-page'), actions: (p) => [p.getByRole('link', { name: /Back to the dashboard/ })] },
];

let env: EmulatedWago;
let browser: Browser;
let tour: PhoneTour;
const contexts = new Map<PhonePage['as'], BrowserContext>();
const TENANT = { email: 'phone-tenant@example.test', password: '' };

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  const token = await linkedSession(env, 'A session with a rather long name for a phone');
  const connectedId = (await env.wago.runtime.prisma.session.findFirstOrThrow({ where: { name: { startsWith: 'A session' } } })).id;
  await env.wago.call('POST', '/webhook', { token, body: { WebhookURL: 'http://127.0.0.1:9/hook', Events: ['All'] } });
  env.emu.control.createGroup(ALICE, 'Phone club', [OWNER_PHONE]);
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'A message long enough to need wrapping on a phone screen, with a link https://example.com/a/very/long/path' });
  const unlinked = await env.wago.call<{ session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: 'Not linked yet' } });
  tour = { url: env.wago.url, connectedId, unlinkedId: unlinked.body.data!.session.id };

  const admin = (await signIn(env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD))!;
  const created = await trpc<{ password: string }>(env.wago.url, admin, 'account.create', { email: TENANT.email, role: 'tenant' }, { mutation: true });
  TENANT.password = created.data!.password;
  await trpc(env.wago.url, admin, 'account.create', { email: 'spare@example.test', role: 'tenant' }, { mutation: true });

  browser = await launchChromium();
  for (const as of ['visitor', 'tenant', 'admin'] as const) {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    contexts.set(as, context);
    if (as === 'visitor') continue;
    const page = await context.newPage();
    await signInThroughForm(page, env.wago.url, as === 'admin' ? ADMIN_EMAIL : TENANT.email, as === 'admin' ? ADMIN_PASSWORD : TENANT.password);
    await page.close();
  }
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

/** The widest element sticking out of the page (to name it when the page scrolls sideways). */
async function widest(page: Page): Promise<string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let worst = '';
    let right = width;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5) {
        right = r.right;
        worst = `${el.tagName.toLowerCase()}.${String((el as HTMLElement).className).slice(0, 80)} (right edge ${Math.round(r.right)} px)`;
      }
    }
    return worst;
  });
}

for (const entry of PHONE_PAGES) {
  test(`at 390×844, ${entry.name}: no sideways scrolling, every action on screen`, async () => {
    const page = await contexts.get(entry.as)!.newPage();
    try {
      await page.goto(`${tour.url}${entry.path(tour)}`);
      await entry.ready(page).first().waitFor({ timeout: 20_000 });
      await entry.open?.(page, tour);
      const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.equal(size.client, PHONE.width);
      assert.ok(size.scroll <= size.client, `${entry.name} scrolls sideways: ${size.scroll} > ${size.client}; widest: ${await widest(page)}`);
      for (const action of entry.actions(page)) {
        await action.scrollIntoViewIfNeeded();
        assert.ok(await action.isVisible(), `${entry.name}: ${action} is visible`);
        const box = await action.boundingBox();
        assert.ok(box, `${entry.name}: ${action} has a box`);
        assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 0.5, `${entry.name}: ${action} is within the screen's width (x ${Math.round(box.x)}, width ${Math.round(box.width)})`);
        // Nothing covers it: the element at its centre is the action (or inside it).
        const hit = await action.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return top !== null && (el === top || el.contains(top));
        });
        assert.ok(hit, `${entry.name}: ${action} is not covered by something else`);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `phone-${entry.name}`);
    } finally {
      await page.close();
    }
  });
}
