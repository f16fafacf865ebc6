import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { launchChromium, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';
import { jpeg, png } from '../fixtures/media/generate';

// The session's chat inbox in Debian's chromium, against the real server (production build) and
// the WhatsApp emulator: what the emulated contact sends shows up live, what the page sends and
// marks read is checked on the emulated contact's side.
let env: EmulatedWago;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionId: string;
const ALICE_JID = `${ALICE}@s.whatsapp.net`;
const received: string[] = [];

before(async () => {
  env = await startEmulatedWago({ WAGO_ADMIN_EMAIL: ADMIN_EMAIL, WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD }, { next: true });
  await linkedSession(env, 'Inbox');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

const conversation = (p: Page = page) => p.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"]`);
const statusOf = (id: string) => env.emu.control.sent(ALICE).find((m) => m.id === id)?.status;

/** Whether the page is wider than the viewport (it would scroll sideways). */
const scrollsSideways = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

test('a message from an emulated contact appears live in its conversation, named, with an unread count; a photo shows as "Photo"', async () => {
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  sessionId = (await page.locator('[data-session-id]').filter({ hasText: 'Inbox' }).first().getAttribute('data-session-id'))!;
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.getByTestId('open-inbox').click();
  await page.waitForURL(`**/dashboard/sessions/${sessionId}/inbox`);
  await page.getByText('No conversations yet').waitFor();
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();

  const hello = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'Hello inbox 👋' });
  received.push(hello.id);
  await conversation().waitFor({ timeout: 15_000 });
  await conversation().getByTestId('conversation-preview').filter({ hasText: 'Hello inbox 👋' }).waitFor();
  await conversation().getByTestId('conversation-name').filter({ hasText: 'Alice' }).waitFor({ timeout: 15_000 });
  await page.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"][data-unread="1"]`).waitFor();

  const photo = await env.emu.control.send(ALICE, { to: OWNER_PHONE, media: { kind: 'image', data: await jpeg(80, 60), caption: 'our garden' } });
  received.push(photo.id);
  await conversation().getByTestId('conversation-preview').filter({ hasText: 'Photo: our garden' }).waitFor({ timeout: 15_000 });
  await page.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"][data-unread="2"]`).waitFor();

  await conversation().click();
  const thread = page.getByTestId('thread');
  await thread.getByTestId('thread-name').filter({ hasText: 'Alice' }).waitFor();
  await thread.locator(`[data-testid="bubble"][data-message-id="${hello.id}"][data-direction="in"]`).getByText('Hello inbox 👋').waitFor();
  const photoBubble = thread.locator(`[data-testid="bubble"][data-message-id="${photo.id}"]`);
  assert.equal(await photoBubble.getAttribute('data-kind'), 'Photo');
  await photoBubble.getByText('our garden').waitFor();
  // The preview comes through the authenticated media route, decrypted: a real 80×60 image.
  await waitFor('the photo preview loaded', async () =>
    photoBubble.getByTestId('media-image').evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 80),
  );
  await screenshot(page, 'inbox-01-desktop');

  // Another message while the thread is open arrives in it live.
  const more = await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'are you there?' });
  received.push(more.id);
  await thread.locator(`[data-testid="bubble"][data-message-id="${more.id}"]`).waitFor({ timeout: 15_000 });
});

test('mark as read: the emulated contact sees read receipts for the unread messages, and the count goes', async () => {
  for (const id of received) await waitFor('delivered to the session', async () => statusOf(id) === 'delivered' || statusOf(id) === 'read');
  await page.getByRole('button', { name: 'Mark as read' }).click();
  await waitFor('read receipts on the contact side', async () => received.every((id) => statusOf(id) === 'read'));
  await page.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"][data-unread="0"]`).waitFor({ timeout: 15_000 });
  assert.equal(await conversation().getByTestId('unread-badge').count(), 0);
});

test('a reply with an image and a caption reaches the contact, who decrypts the same image', async () => {
  const image = await png(96, 64);
  const thread = page.getByTestId('thread');
  await thread.getByTestId('attach').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: image });
  await thread.getByTestId('composer-file').getByText('chart.png').waitFor();
  await thread.getByLabel('Message', { exact: true }).fill('Here is the chart');
  await thread.getByRole('button', { name: 'Send' }).click();

  const [got] = await env.emu.control.waitForReceived(ALICE, { from: OWNER_PHONE, predicate: (m) => m.contentType === 'imageMessage', timeoutMs: 30_000 });
  assert.equal((got!.message.imageMessage as { caption?: string }).caption, 'Here is the chart');
  const media = await env.emu.control.receivedMedia(ALICE, got!.id);
  assert.equal(media.mimetype, 'image/png');
  assert.ok(media.data.equals(image), 'the contact decrypted exactly the attached image');

  const bubble = thread.locator(`[data-testid="bubble"][data-message-id="${got!.id}"][data-direction="out"]`);
  await bubble.waitFor({ timeout: 15_000 });
  assert.equal(await bubble.getAttribute('data-kind'), 'Photo');
  await bubble.locator('[data-testid="ticks"]').waitFor();
  await thread.getByTestId('composer-file').waitFor({ state: 'detached' });
  await conversation().getByTestId('conversation-preview').filter({ hasText: 'You: Photo: Here is the chart' }).waitFor({ timeout: 15_000 });

  // A text reply quoting the contact's first message.
  await thread.locator(`[data-testid="bubble"][data-message-id="${received[0]}"]`).hover();
  await thread.locator(`[data-testid="bubble"][data-message-id="${received[0]}"]`).getByRole('button', { name: 'Reply to this message' }).click();
  await thread.getByTestId('composer-quote').waitFor();
  await thread.getByLabel('Message', { exact: true }).fill('Hello to you too');
  await thread.getByRole('button', { name: 'Send' }).click();
  const [quoted] = await env.emu.control.waitForReceived(ALICE, { from: OWNER_PHONE, predicate: (m) => m.text === 'Hello to you too', timeoutMs: 30_000 });
  assert.equal(quoted!.quotedId, received[0], 'the contact sees it as a reply');
  await thread.locator(`[data-testid="bubble"][data-message-id="${quoted!.id}"]`).getByTestId('quoted').getByText('Hello inbox 👋').waitFor({ timeout: 15_000 });
  await screenshot(page, 'inbox-02-desktop-replied');
});

test('phone size (390×844): the list, then the open conversation, with no sideways scrolling', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
  try {
    const p = await phone.newPage();
    await p.goto(`${env.wago.url}/dashboard/sessions/${sessionId}/inbox`);
    await conversation(p).waitFor({ timeout: 15_000 });
    assert.equal(await p.getByTestId('thread').count(), 0, 'on a phone the list comes first');
    assert.equal(await scrollsSideways(p), false, 'the conversation list fits the phone');
    await screenshot(p, 'inbox-03-phone-list');
    await conversation(p).click();
    await p.getByTestId('thread').getByText('Here is the chart').waitFor();
    await waitFor('the photo previews loaded', async () =>
      p.getByTestId('media-image').evaluateAll((imgs) => imgs.length >= 2 && imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)),
    );
    assert.equal(await scrollsSideways(p), false, 'the thread fits the phone');
    assert.equal(await p.getByTestId('conversation-list').isVisible(), false, 'the open thread replaces the list');
    await screenshot(p, 'inbox-04-phone-thread');
    await p.getByRole('button', { name: 'Back to the conversations' }).click();
    await conversation(p).waitFor();
  } finally {
    await phone.close();
  }
});

test("the media route is the signed-in account's only: no cookie, no media", async () => {
  const url = `${env.wago.url}/api/message-media?sessionId=${sessionId}&chatJid=${encodeURIComponent(ALICE_JID)}&messageId=${received[1]}`;
  assert.equal((await fetch(url)).status, 401);
  const signedIn = await page.request.get(url);
  assert.equal(signedIn.status(), 200);
  assert.equal(signedIn.headers()['content-type'], 'image/jpeg');
  const missing = await page.request.get(url.replace(received[1]!, 'NOPE'));
  assert.equal(missing.status(), 404);
});

test("the read mark follows the phone: the account's phone reads the chat and the unread count drops to 0 live", async () => {
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}/inbox`);
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
  await env.emu.control.send(ALICE, { to: OWNER_PHONE, text: 'read this on your phone' });
  await page.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"][data-unread="1"]`).waitFor({ timeout: 15_000 });
  // The phone reads it: WhatsApp syncs markChatAsRead to the linked devices (app state).
  const res = await fetch(`${env.emu.url}/control/accounts/${OWNER_PHONE}/chats/read`, { method: 'POST', body: JSON.stringify({ chat: ALICE }) });
  assert.equal(res.status, 200);
  await page.locator(`[data-testid="conversation"][data-chat-jid="${ALICE_JID}"][data-unread="0"]`).waitFor({ timeout: 15_000 });
  assert.equal(await conversation().getByTestId('unread-badge').count(), 0);
  await conversation().getByTestId('conversation-preview').filter({ hasText: 'read this on your phone' }).waitFor();
});
