import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';

// The session page's Groups and Contacts panels in Debian's chromium, against the real server
// (production build) and the WhatsApp emulator; every change is checked on the emulated side.
let env: EmulatedWago;
let browser: Browser;
let page: Page;
let token: string;
let groupJid: string;
const BOB = '15550002002';
const CAROL = '15550002003';
const ALICE_JID = `${ALICE}@s.whatsapp.net`;
const lidOf = (phone: string) => `${env.emu.world.getByPhone(phone)!.lid}@lid`;

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  token = await linkedSession(env, 'Groups and contacts');
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

async function markPage(): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
async function assertNotReloaded(): Promise<void> {
  assert.equal(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, 'the page was not reloaded');
}

const groupRow = () => page.locator(`[data-testid="group-row"][data-jid="${groupJid}"]`);
const contactRow = (jid: string) => page.locator(`[data-testid="contact-row"][data-jid="${jid}"]`);

test('the linked session page shows its groups: one created on the phone side appears live with its participant count', async () => {
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const row = page.locator('[data-session-id]').filter({ hasText: 'Groups and contacts' }).first();
  const sessionId = await row.getAttribute('data-session-id');
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.locator('[data-testid="state-badge"][data-state="connected"]').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('groups-panel').getByText('No groups yet').waitFor();
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
  await markPage();

  // Alice creates a group with this account and Bob, and makes this account an admin.
  const group = env.emu.control.createGroup(ALICE, 'Dashboard club', [OWNER_PHONE, BOB]);
  groupJid = group.jid;
  env.emu.control.groupParticipants(groupJid, ALICE, 'promote', [OWNER_PHONE]);
  await groupRow().getByText('Dashboard club').waitFor({ timeout: 15_000 });
  await page.locator(`[data-testid="group-row"][data-jid="${groupJid}"][data-size="3"]`).waitFor();
  assert.equal((await groupRow().getByTestId('group-size').textContent())?.trim(), '3 participants');
  await assertNotReloaded();
});

test('open a group: participants with admin badges, its invite link (and a reset gives a new one)', async () => {
  await groupRow().getByRole('button').click();
  const detail = page.getByTestId('group-detail');
  await detail.waitFor();
  const members = detail.getByTestId('participant-row');
  await waitFor('three participants', async () => (await members.count()) === 3);
  const alice = detail.locator(`[data-testid="participant-row"][data-jid="${ALICE_JID}"]`);
  assert.equal(await alice.getAttribute('data-lid'), lidOf(ALICE), 'a participant is shown by JID and LID');
  assert.equal(await alice.getAttribute('data-admin'), 'true');
  await alice.getByText('super admin').waitFor();
  await detail.locator(`[data-testid="participant-row"][data-jid="${OWNER_PHONE}@s.whatsapp.net"]`).getByText('this account').waitFor();
  assert.equal(await detail.locator(`[data-testid="participant-row"][data-jid="${OWNER_PHONE}@s.whatsapp.net"]`).getAttribute('data-admin'), 'true');
  assert.equal(await detail.locator(`[data-testid="participant-row"][data-jid="${BOB}@s.whatsapp.net"]`).getAttribute('data-admin'), 'false');

  const link = detail.getByTestId('invite-link');
  await link.waitFor({ timeout: 15_000 });
  const first = env.emu.control.group(groupJid).inviteCode;
  assert.equal((await link.textContent())?.trim(), `https://chat.whatsapp.com/${first}`);
  await detail.getByRole('button', { name: 'Reset link' }).click();
  await waitFor('a new invite code', async () => env.emu.control.group(groupJid).inviteCode !== first);
  const second = env.emu.control.group(groupJid).inviteCode;
  await detail.getByTestId('invite-link').filter({ hasText: second }).waitFor();
  await screenshot(page, 'groups-01-detail');
});

test('an emulated admin adds a member: the count and the participants update live', async () => {
  await markPage();
  env.emu.control.groupParticipants(groupJid, ALICE, 'add', [CAROL]);
  await page.locator(`[data-testid="group-row"][data-jid="${groupJid}"][data-size="4"]`).waitFor({ timeout: 15_000 });
  await page.getByTestId('group-detail').locator(`[data-testid="participant-row"][data-jid="${CAROL}@s.whatsapp.net"]`).waitFor();
  await assertNotReloaded();
});

test('rename the group from the page: the emulated group has the new subject', async () => {
  const detail = page.getByTestId('group-detail');
  await detail.getByLabel('Group name').fill('Dashboard readers');
  await detail.getByRole('button', { name: 'Rename' }).click();
  await waitFor('the subject on the emulated side', async () => env.emu.control.group(groupJid).subject === 'Dashboard readers');
  await groupRow().getByText('Dashboard readers').waitFor({ timeout: 15_000 });
});

test('leave the group (after confirming): gone from the list, and the emulated group no longer has the account', async () => {
  await page.getByTestId('group-detail').getByRole('button', { name: 'Leave group' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Leave this group?').waitFor();
  await screenshot(page, 'groups-02-leave');
  await dialog.getByRole('button', { name: 'Leave', exact: true }).click();
  await waitFor('the account left on the emulated side', async () => !env.emu.control.group(groupJid).members.has(OWNER_PHONE));
  await groupRow().waitFor({ state: 'detached', timeout: 15_000 });
  await page.getByTestId('groups-panel').getByText('No groups yet').waitFor();
  assert.ok(env.emu.control.group(groupJid).members.has(ALICE), 'the group itself goes on');
});

test('contacts: one who wrote appears live with push name, phone and LID; Block and Unblock reach WhatsApp; a block made elsewhere shows live', async () => {
  await markPage();
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'hello, dashboard' });
  const row = contactRow(ALICE_JID);
  await row.waitFor({ timeout: 15_000 });
  await row.getByText('Alice').first().waitFor();
  await row.getByText(`+${ALICE}`).waitFor();
  await row.getByText(lidOf(ALICE)).waitFor();
  await page.locator(`[data-testid="contact-row"][data-jid="${ALICE_JID}"][data-blocked="false"]`).waitFor();
  await assertNotReloaded();
  await screenshot(page, 'contacts-01-learned');

  const owner = env.emu.world.getByPhone(OWNER_PHONE)!;
  await row.getByRole('button', { name: /^Block / }).click();
  await waitFor('the emulated blocklist holds Alice', async () => owner.blocklist.has(ALICE_JID));
  await page.locator(`[data-testid="contact-row"][data-jid="${ALICE_JID}"][data-blocked="true"]`).waitFor({ timeout: 15_000 });
  await row.getByText('blocked', { exact: true }).waitFor();
  await screenshot(page, 'contacts-02-blocked');

  await row.getByRole('button', { name: /^Unblock / }).click();
  await waitFor('the emulated blocklist no longer holds Alice', async () => !owner.blocklist.has(ALICE_JID));
  await page.locator(`[data-testid="contact-row"][data-jid="${ALICE_JID}"][data-blocked="false"]`).waitFor({ timeout: 15_000 });
  assert.equal((await env.wago.call<{ Users: unknown[] }>('GET', '/user/blocklist', { token })).body.data!.Users.length, 0);

  // A block made elsewhere (here over the REST API) shows live, from its BlocklistChange event.
  await markPage();
  assert.equal((await env.wago.call('POST', '/user/block', { token, body: { Phone: ALICE } })).status, 200);
  await page.locator(`[data-testid="contact-row"][data-jid="${ALICE_JID}"][data-blocked="true"]`).waitFor({ timeout: 15_000 });
  assert.equal((await env.wago.call('POST', '/user/unblock', { token, body: { Phone: ALICE } })).status, 200);
  await page.locator(`[data-testid="contact-row"][data-jid="${ALICE_JID}"][data-blocked="false"]`).waitFor({ timeout: 15_000 });
  await assertNotReloaded();
});

test('a disconnected session shows why the panels are not there', async () => {
  assert.equal((await env.wago.call('POST', '/session/disconnect', { token })).status, 200);
  await page.getByTestId('groups-contacts-offline').getByText('The session is not connected').waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('groups-panel').count(), 0);
  assert.equal(await page.getByTestId('contacts-panel').count(), 0);
});
