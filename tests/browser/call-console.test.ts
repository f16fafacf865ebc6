import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulatedWago, linkedSession, waitFor, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot, signInThroughForm } from '../helpers/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/dashboard';
import { dominantFrequency, goertzel, toneWav, voiced, wavSamples } from '../helpers/tone';

// The session page's call console in Debian's chromium with a fake microphone (a 1 kHz tone WAV),
// against the real server (production build) and the emulator's calls: the contact calls, the page
// answers, each side hears the other's tone, a file plays (paused and resumed), a recording is made
// and downloaded, the page hangs up.
const MIC_HZ = 1000;
const CONTACT_HZ = 660;
let env: EmulatedWago;
let browser: Browser;
let page: Page;
let dir: string;
let sessionId: string;
let token: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wago-call-console-'));
  await mkdir(join(dir, 'media'));
  await writeFile(join(dir, 'media', 'tone440.wav'), toneWav(440, 30));
  await writeFile(join(dir, 'microphone.wav'), toneWav(MIC_HZ, 120));
  env = await startEmulatedWago(
    {
      WAGO_ADMIN_EMAIL: ADMIN_EMAIL,
      WAGO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WAGO_CALL_MEDIA_DIR: join(dir, 'media'),
      WAGO_CALL_RECORDINGS_DIR: join(dir, 'recordings'),
      // one process: a long session lease, so that a loaded machine's stalls (the production
      // dashboard, chromium and call audio share it) never make the process drop its own session
      WAGO_LEASE_TTL_MS: '120000',
    },
    { next: true },
  );
  token = await linkedSession(env, 'Call console');
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${join(dir, 'microphone.wav')}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The 20 ms frames in which the file (440 Hz) is heard beside the microphone. */
function framesWithFile(samples: Int16Array): number {
  let frames = 0;
  for (let at = 0; at + 960 <= samples.length; at += 960) {
    const frame = samples.subarray(at, at + 960);
    if (goertzel(frame, 440) > 0.1 * goertzel(frame, MIC_HZ)) frames++;
  }
  return frames;
}

const banner = (id: string) => page.locator(`[data-testid="incoming-call"][data-call-id="${id}"]`);
const historyRow = (id: string, state: string) => page.locator(`[data-testid="call-row"][data-call-id="${id}"][data-state="${state}"]`);

test('an incoming call rings on the session page; Reject declines it on the contact\'s phone', async () => {
  await signInThroughForm(page, env.wago.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  sessionId = (await page.locator('[data-session-id]').filter({ hasText: 'Call console' }).first().getAttribute('data-session-id'))!;
  await page.goto(`${env.wago.url}/dashboard/sessions/${sessionId}`);
  await page.locator('[data-testid="state-badge"][data-state="connected"]').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('live-indicator').and(page.locator('[data-connected="true"]')).waitFor();
  await page.getByTestId('call-console').getByText('No call right now.').waitFor();

  const call = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await banner(call.id).waitFor({ timeout: 15_000 });
  await banner(call.id).getByText(`Incoming call from +${ALICE}`).waitFor();
  await banner(call.id).getByRole('button', { name: 'Reject' }).click();
  await waitFor('the contact sees the call declined', async () => env.emu.calls.get(call.id).state === 'rejected');
  await banner(call.id).waitFor({ state: 'detached' });
  await historyRow(call.id, 'rejected').waitFor({ timeout: 15_000 });
});

test('Answer: the page hears the contact\'s tone (WebAudio analyser), the contact hears the microphone\'s tone', async () => {
  const call = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await banner(call.id).waitFor({ timeout: 15_000 });
  await screenshot(page, 'calls-01-incoming');
  await banner(call.id).getByRole('button', { name: 'Answer' }).click();
  const active = page.locator(`[data-testid="active-call"][data-call-id="${call.id}"]`);
  await page.locator(`[data-testid="active-call"][data-call-id="${call.id}"][data-state="connected"]`).waitFor({ timeout: 20_000 });
  await banner(call.id).waitFor({ state: 'detached' });
  await active.getByTestId('call-hearing').waitFor({ timeout: 20_000 });
  await waitFor('the phone\'s audio connected', async () => env.emu.calls.get(call.id).audio);

  // the contact speaks: the page's analyser finds the tone in what the call sends to the browser
  env.emu.calls.tone(call.id, CONTACT_HZ, 20);
  const heardInPage = await waitFor('the page hears the contact', async () => {
    const hz = Number(await active.getByTestId('call-hearing').getAttribute('data-peak-hz'));
    return Math.abs(hz - CONTACT_HZ) <= 15 ? hz : undefined;
  });
  assert.ok(Math.abs(heardInPage - CONTACT_HZ) <= 15, `the page hears ${heardInPage} Hz`);
  await screenshot(page, 'calls-02-connected');

  // the browser's (fake) microphone reaches the contact's phone
  const heardByContact = await waitFor('the contact hears the microphone', async () => {
    const heard = voiced(env.emu.calls.heard(call.id));
    return heard.length > 48_000 ? heard.subarray(heard.length - 24_000) : undefined;
  });
  assert.equal(dominantFrequency(heardByContact), MIC_HZ, 'the contact hears the microphone\'s tone');

  // Play file: the server-side file goes into the call with the microphone; the contact hears both
  const before = env.emu.calls.heard(call.id).length;
  await active.getByLabel('Audio file').fill('tone440.wav');
  await active.getByRole('button', { name: 'Play file' }).click();
  await waitFor('the contact hears the file with the microphone', async () => {
    const heard = env.emu.calls.heard(call.id);
    if (heard.length < before + 24_000) return undefined;
    const recent = heard.subarray(heard.length - 12_000);
    return goertzel(recent, 440) > 0.1 * goertzel(recent, MIC_HZ) || undefined;
  });
  await active.locator('[data-testid="playback-state"][data-state="playing"]').waitFor();

  // Pause file: the file stops where it is — for that stretch the contact hears the microphone and no
  // file at all; Resume file: the file comes back
  await active.getByRole('button', { name: 'Pause file' }).click();
  await active.locator('[data-testid="playback-state"][data-state="paused"]').waitFor();
  const pausedAt = env.emu.calls.heard(call.id).length + 9_600; // what was on its way when the page paused may still arrive
  const stretch = await waitFor('a second of the call while the file is paused', async () => {
    const heard = env.emu.calls.heard(call.id);
    return heard.length > pausedAt + 48_000 ? heard.slice(pausedAt, pausedAt + 48_000) : undefined;
  });
  assert.equal(framesWithFile(stretch), 0, 'no frame of the paused stretch carries the file');
  assert.equal(dominantFrequency(stretch), MIC_HZ, 'the microphone goes on');
  await screenshot(page, 'calls-02b-paused');
  await active.getByRole('button', { name: 'Resume file' }).click();
  await active.locator('[data-testid="playback-state"][data-state="playing"]').waitFor();
  const resumedAt = env.emu.calls.heard(call.id).length;
  await waitFor('the contact hears the file again', async () => {
    const heard = env.emu.calls.heard(call.id);
    return heard.length > resumedAt + 24_000 && framesWithFile(heard.slice(resumedAt)) > 10;
  });
  await active.getByRole('button', { name: 'Stop file' }).click();
  await active.getByTestId('playback-state').waitFor({ state: 'detached' });

  // record a moment of the call: the recording is listed and downloads as a WAV of both directions
  await active.getByRole('button', { name: 'Start recording' }).click();
  await active.getByTestId('recording-on').waitFor();
  const recordedFrom = env.emu.calls.heard(call.id).length;
  await waitFor('a second of call recorded', async () => env.emu.calls.heard(call.id).length > recordedFrom + 48_000);
  await active.getByRole('button', { name: 'Stop recording' }).click();
  await active.getByTestId('recording-on').waitFor({ state: 'detached' }); // the server finished the file
  const row = page.getByTestId('recording-row').first();
  await row.waitFor({ timeout: 15_000 });
  const path = (await row.getAttribute('data-path'))!;
  assert.match(path, new RegExp(`^${call.id}-.*\\.wav$`));
  const href = (await row.getByRole('link').getAttribute('href'))!;
  const download = await page.evaluate(async (url) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), bytes: [...new Uint8Array(await res.arrayBuffer())] };
  }, href);
  assert.equal(download.status, 200);
  assert.equal(download.type, 'audio/wav');
  const wav = Buffer.from(download.bytes);
  assert.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF');
  const recorded = voiced(wavSamples(wav));
  assert.ok(recorded.length > 40_000, `about a second recorded (${recorded.length} samples)`);
  await screenshot(page, 'calls-03-recorded');

  // a path out of the session's folder is refused
  const outside = await page.evaluate(async (url) => (await fetch(url)).status, `/api/call-recordings?${new URLSearchParams({ sessionId, path: '../x.wav' })}`);
  assert.equal(outside, 400);

  await active.getByRole('button', { name: 'Hang up' }).click();
  await waitFor('the contact\'s call ended', async () => env.emu.calls.get(call.id).state === 'ended', 60_000);
  await active.waitFor({ state: 'detached', timeout: 30_000 });
  await historyRow(call.id, 'ended').waitFor({ timeout: 15_000 });
  await page.getByTestId('call-console').getByText('No call right now.').waitFor();
  await screenshot(page, 'calls-04-history');
});

test('a call answered elsewhere (REST) shows live; "Talk from this browser" attaches the page; the contact hanging up ends it here', async () => {
  const call = await env.emu.calls.start(ALICE, OWNER_PHONE);
  await banner(call.id).waitFor({ timeout: 15_000 });
  assert.equal((await env.wago.call('POST', '/call/answer', { token, body: { CallID: call.id } })).status, 200);
  const active = page.locator(`[data-testid="active-call"][data-call-id="${call.id}"]`);
  await page.locator(`[data-testid="active-call"][data-call-id="${call.id}"][data-state="connected"]`).waitFor({ timeout: 20_000 });
  assert.equal(await active.getByTestId('call-hearing').count(), 0, 'a call answered elsewhere does not take this browser\'s microphone by itself');
  await active.getByRole('button', { name: 'Talk from this browser' }).click();
  await active.getByTestId('call-hearing').waitFor({ timeout: 20_000 });
  const from = env.emu.calls.heard(call.id).length;
  const heard = await waitFor('the contact hears the microphone', async () => {
    const all = env.emu.calls.heard(call.id);
    return all.length > from + 24_000 ? all.subarray(all.length - 12_000) : undefined;
  });
  assert.equal(dominantFrequency(heard), MIC_HZ);
  env.emu.calls.hangup(call.id);
  await active.waitFor({ state: 'detached', timeout: 15_000 });
  await historyRow(call.id, 'ended').waitFor({ timeout: 15_000 });
});

test('a group call rings as a group call: no Answer (WaGo takes no group calls), Reject declines it', async () => {
  const group = env.emu.control.createGroup(ALICE, 'Team', [OWNER_PHONE]);
  const call = await env.emu.calls.start(ALICE, group.jid);
  await banner(call.id).waitFor({ timeout: 15_000 });
  await banner(call.id).getByText(`Incoming group call from +${ALICE}`).waitFor();
  await banner(call.id).getByText('WaGo does not take group calls').waitFor();
  assert.equal(await banner(call.id).getByRole('button', { name: 'Answer' }).count(), 0);
  await screenshot(page, 'calls-05-group');
  await banner(call.id).getByRole('button', { name: 'Reject' }).click();
  await banner(call.id).waitFor({ state: 'detached' });
  await historyRow(call.id, 'rejected').waitFor({ timeout: 15_000 });
  await waitFor('the caller saw the member decline', async () => env.emu.calls.get(call.id).declined.includes(OWNER_PHONE));
});
