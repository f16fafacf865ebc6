import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, waitFor } from '../helpers/emulated-wago';

let wago: WagoProcess | undefined;
let db: TestDatabase | undefined;
after(async () => {
  await wago?.kill('SIGTERM');
  await db?.drop();
});

test('WAGO_SANDBOX=1: link a session to a simulated phone and receive a message, over HTTP only', async () => {
  db = await createTestDatabase();
  const admin = 'sandbox-admin-token-0123456789';
  const running = await spawnWago({ DATABASE_URL: db.url, WAGO_SANDBOX: '1', WAGO_ADMIN_TOKEN: admin });
  wago = running;
  const banner = running.output();
  const control = /control API (http:\/\/\S+)/.exec(banner)?.[1];
  assert.ok(control, `the banner names the sandbox control API:\n${banner}`);
  assert.match(banner, /Simulated phones: .*\+15550001000/);

  const post = async <T>(url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  };
  const init = await post<{ data: { token: string } }>(`${running.url}/session/init`, { Name: 'sandbox' }, { admintoken: admin });
  const token = init.data.token;
  const connect = await post<{ data: { State: string } }>(`${running.url}/session/connect`, {}, { token });
  assert.equal(connect.data.State, 'qr');
  const qr = (await (await fetch(`${running.url}/session/qr`, { headers: { token } })).json()) as { data: { Code: string } };
  const scanned = await post<{ jid?: string }>(`${control}/pairing/qr/scan`, { qr: qr.data.Code, phone: '15550001000' });
  assert.match(JSON.stringify(scanned), /15550001000/);
  await waitFor('connected', async () => ((await (await fetch(`${running.url}/session/status`, { headers: { token } })).json()) as { data: { Connected: boolean } }).data.Connected);

  const live = await listen(running.url, token);
  await post(`${control}/accounts/15550002001/send`, { to: '15550001000', text: 'hi from the sandbox' });
  const message = await live.next('Message', (e) => (e.data as { text?: string }).text === 'hi from the sandbox');
  assert.equal((message.data as { from: { jid: string } }).from.jid, '15550002001@s.whatsapp.net');
  live.socket.close();
});

test('sandbox dashboard: "link with a simulated phone" links a new session in the browser, no phone needed', async () => {
  const { launchChromium, screenshot, signInThroughForm } = await import('../helpers/browser');
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = await import('../helpers/dashboard');
  const sandboxDb = await createTestDatabase();
  const running = await spawnWago({ DATABASE_URL: sandboxDb.url, WAGO_SANDBOX: '1', WAGO_DISABLE_NEXT: '0', WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInThroughForm(page, running.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Name').fill('Sandbox demo');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.getByRole('button', { name: /Link it to WhatsApp/ }).click();
    // The token was not copied: the shown-once dialog asks first.
    await page.getByTestId('shown-once-confirm').getByRole('button', { name: 'Close anyway' }).click();
    await page.waitForURL(/\/dashboard\/sessions\//);
    await page.getByRole('combobox', { name: /^Simulated phone/ }).selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Link with simulated phone' }).click();
    await page.locator('[data-testid="state-badge"][data-state="connected"]').first().waitFor({ timeout: 30_000 });
    await page.getByText('+15550001000').first().waitFor();
    await screenshot(page, '09-sandbox-linked');
  } finally {
    await browser.close();
    await running.kill('SIGTERM');
    await sandboxDb.drop();
  }
});
