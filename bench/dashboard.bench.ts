// `npm run bench:dashboard`: how fast the sessions list renders in a production build
// (`next build` + WaGo's server), in Debian's chromium, with 1,000 sessions. The list is
// paginated on the server and its first page rendered with its data, so the first contentful
// paint already shows the first page's rows. "Live" is when the page has hydrated and its
// socket.io connection is up (badges then update without reload). The baseline is the
// unpaginated query the list used before (`session.list`: every session at once).
import { chromium, type Page } from 'playwright-core';
import { createFixture } from './lib/wago-fixture';
import { printTable, median, percentile } from './lib/table';
import { ensureNextBuild } from '../scripts/lib/next-build.mjs';
import { PROJECT_ROOT } from '../server/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, trpc } from '../tests/helpers/dashboard';

const SESSIONS = Number(process.env.BENCH_DASHBOARD_SESSIONS ?? 1000);
const PAGE_SIZE = 25;
const FIRST_PAGE = Math.min(SESSIONS, PAGE_SIZE);
const QUERIES = 20;
const LOADS = Number(process.env.BENCH_DASHBOARD_LOADS ?? 15);

interface Load {
  ttfbMs: number;
  fcpMs: number;
  rowsMs: number;
  domReadyMs: number;
  liveMs: number;
  htmlKb: number;
}

async function measure(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="session-row"]').length === n, FIRST_PAGE);
  const rowsMs = await page.evaluate(() => performance.now());
  await page.waitForSelector('[data-testid="live-indicator"][data-connected="true"]');
  const liveMs = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  return page.evaluate(
    ({ rowsMs, liveMs }) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]!;
      return { ttfbMs: nav.responseStart, fcpMs: fcp.startTime, rowsMs, domReadyMs: nav.domContentLoadedEventEnd, liveMs, htmlKb: nav.transferSize / 1024 };
    },
    { rowsMs, liveMs },
  );
}

async function main(): Promise<void> {
  if (ensureNextBuild(PROJECT_ROOT)) process.stdout.write('(built the dashboard first)\n');
  const fixture = await createFixture();
  const wago = await fixture.startWago({ WAGO_DISABLE_NEXT: '0', WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const cookie = await signIn(wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    if (!cookie) throw new Error('could not sign in');
    let made = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (made < SESSIONS) {
          const i = made++;
          const created = await trpc(wago.url, cookie, 'session.create', { name: `bench-${String(i).padStart(4, '0')}` }, { mutation: true });
          if (created.error) throw new Error(created.error.message);
        }
      }),
    );
    // The query behind the list: one page (now) against every session at once (the baseline).
    const timeQuery = async (path: string, input?: unknown) => {
      const times: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const started = performance.now();
        const answer = await trpc(wago.url, cookie, path, input);
        if (answer.error) throw new Error(answer.error.message);
        times.push(performance.now() - started);
      }
      return times;
    };
    const unpaginated = await timeQuery('session.list');
    const paginated = await timeQuery('sessionList.page', { page: 1, pageSize: PAGE_SIZE });
    printTable(`Sessions list query over HTTP, ${SESSIONS} sessions, ${QUERIES} calls (ms)`, ['', 'median', 'p95'], [
      ['baseline: every session at once (session.list)', median(unpaginated).toFixed(1), percentile(unpaginated, 95).toFixed(1)],
      [`first page of ${PAGE_SIZE} (sessionList.page)`, median(paginated).toFixed(1), percentile(paginated, 95).toFixed(1)],
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split('; ').find((c) => c.startsWith('next-auth.session-token='))!.split(/=(.*)/s);
    await context.addCookies([{ name: name!, value: value!, url: wago.url }]);
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await context.newPage();
      loads.push(await measure(page, `${wago.url}/dashboard`));
      await page.close();
    }
    const [first, ...rest] = loads;
    const row = (label: string, pick: (l: Load) => number) => [
      label,
      pick(first!).toFixed(0),
      median(rest.map(pick)).toFixed(0),
      percentile(rest.map(pick), 95).toFixed(0),
    ];
    printTable(`Sessions list, ${SESSIONS} sessions, production build, ${LOADS} loads (ms from navigation start)`, ['', 'first load', 'median (warm)', 'p95 (warm)'], [
      row('server answered (TTFB)', (l) => l.ttfbMs),
      row('first contentful paint = list rendered', (l) => l.fcpMs),
      row(`first page's ${FIRST_PAGE} rows in the DOM (checked)`, (l) => l.rowsMs),
      row('DOMContentLoaded', (l) => l.domReadyMs),
      row('hydrated and live (socket.io up)', (l) => l.liveMs),
    ]);
    process.stdout.write(`HTML of the page: ${first!.htmlKb.toFixed(1)} kB\n`);
  } finally {
    await browser.close();
    await wago.stop();
    await fixture.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
