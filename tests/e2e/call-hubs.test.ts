import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedWago, waitFor, listen, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';
import { callProbes } from '../helpers/calls';
import { goertzel, toneWav, wavSamples } from '../helpers/tone';
import { FRAME_SAMPLES } from '../../server/calls/pcm';

/**
 * Several calls on several sessions at once, each with its own media hub: three sessions (three
 * accounts), each in a call carrying audio both ways at the same time — two incoming, one placed by
 * the session. Each side hears its own tone only, each recording holds its own call only, and
 * hanging one call up leaves the others up.
 */

const BOB = '15550002002';
const CAROL = '15550002003';

interface Leg {
  name: string;
  /** the account the session is linked to */
  account: string;
  /** the contact in the call */
  contact: string;
  direction: 'incoming' | 'outgoing';
  /** the file WaGo plays into the call, and the tone the contact's phone plays */
  fileHz: number;
  phoneHz: number;
  token?: string;
  events?: Awaited<ReturnType<typeof listen>>;
  callId?: string;
}

const legs: Leg[] = [
  { name: 'hub-one', account: OWNER_PHONE, contact: ALICE, direction: 'incoming', fileHz: 440, phoneHz: 520 },
  { name: 'hub-two', account: '15550001001', contact: BOB, direction: 'outgoing', fileHz: 620, phoneHz: 710 },
  { name: 'hub-three', account: '15550001002', contact: CAROL, direction: 'incoming', fileHz: 830, phoneHz: 970 },
];
const ALL_HZ = legs.flatMap((l) => [l.fileHz, l.phoneHz]);

let env: EmulatedWago;
let dir: string;
let recordings: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wago-call-hubs-'));
  const media = join(dir, 'media');
  recordings = join(dir, 'recordings');
  await mkdir(media);
  for (const leg of legs) await writeFile(join(media, `tone${leg.fileHz}.wav`), toneWav(leg.fileHz, 1.5));
  env = await startEmulatedWago({ WAGO_CALL_MEDIA_DIR: media, WAGO_CALL_RECORDINGS_DIR: recordings });
  for (const leg of legs) {
    if (leg.account !== OWNER_PHONE) env.emu.control.createAccount({ phone: leg.account, name: leg.name });
    leg.token = await linkedSession(env, leg.name, leg.account);
    leg.events = await listen(env.wago.url, leg.token);
  }
});
after(async () => {
  for (const leg of legs) leg.events?.socket.close();
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

const probes = (leg: Leg) => callProbes(() => env, () => leg.token!, () => leg.events!);

/**
 * Which of the test's tones each 20 ms frame holds (a tone counts when its power is at least a quarter
 * of the frame's strongest): frame by frame, so that gaps (a loaded machine delays a sender) do not
 * blur the picture. Quiet frames are left out.
 */
function tonesByFrame(samples: Int16Array): Map<number, number> {
  const frames = new Map<number, number>(ALL_HZ.map((f) => [f, 0]));
  for (let at = 0; at + FRAME_SAMPLES <= samples.length; at += FRAME_SAMPLES) {
    const frame = samples.subarray(at, at + FRAME_SAMPLES);
    let energy = 0;
    for (const s of frame) energy += s * s;
    if (Math.sqrt(energy / FRAME_SAMPLES) < 1000) continue;
    const power = ALL_HZ.map((f) => goertzel(frame, f));
    const max = Math.max(...power);
    ALL_HZ.forEach((f, i) => {
      if (power[i]! >= max / 4) frames.set(f, frames.get(f)! + 1);
    });
  }
  return frames;
}

/** Frames holding any tone of another call than `leg`'s. */
const foreign = (frames: Map<number, number>, leg: Leg) => [...frames].filter(([f, n]) => n > 0 && f !== leg.fileHz && f !== leg.phoneHz);

/** 1.5 s of a tone is 75 frames; a few may be lost or blurred on the way. */
const MOST_OF_A_TONE = 60;
const LOADED = 120_000;

/** The recording `file` wherever the session's folder is (one folder per session). */
async function readRecording(file: string): Promise<Buffer> {
  for (const folder of await readdir(recordings)) {
    const bytes = await readFile(join(recordings, folder, file)).catch(() => undefined);
    if (bytes) return bytes;
  }
  throw new Error(`no recording ${file}`);
}

/** The samples written so far (the header is finished when the recording stops). */
async function recordingOf(file: string): Promise<Int16Array> {
  const bytes = Buffer.from(await readRecording(file));
  return new Int16Array(bytes.buffer, bytes.byteOffset + 44, Math.floor((bytes.length - 44) / 2));
}

test('three sessions, three calls with audio at once: no cross-talk between hubs, each recording holds its own call, one hang-up leaves the others up', async () => {
  // the calls: two contacts call their session's account, one session calls its contact
  await Promise.all(
    legs.map(async (leg) => {
      const { post, callEvent } = probes(leg);
      if (leg.direction === 'incoming') {
        const call = await env.emu.calls.start(leg.contact, leg.account);
        leg.callId = call.id;
        await callEvent(call.id, 'ringing');
        const connected = callEvent(call.id, 'connected');
        const answer = await post('/call/answer', { CallID: call.id });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        await connected;
      } else {
        const made = await post('/call/make', { CallTo: leg.contact });
        assert.equal(made.status, 200, JSON.stringify(made.body));
        leg.callId = made.body.data!.Call.CallID;
        await callEvent(leg.callId, 'ringing');
        const connected = callEvent(leg.callId, 'connected');
        env.emu.calls.accept(leg.callId);
        await connected;
      }
      await waitFor(`${leg.name}: the contact's audio connected`, async () => env.emu.calls.get(leg.callId!).audio);
    }),
  );
  assert.equal(new Set(legs.map((l) => l.callId)).size, 3);
  for (const leg of legs) {
    const open = await env.wago.call<{ Calls: Array<{ CallID: string }> }>('GET', '/call/status', { token: leg.token! });
    assert.deepEqual(open.body.data!.Calls.map((c) => c.CallID), [leg.callId], `${leg.name} sees its own call only`);
  }

  // everything at once: each session records and plays its file, each contact plays its tone
  for (const leg of legs) {
    const { post } = probes(leg);
    assert.equal((await post('/call/record', { CallID: leg.callId, Path: `${leg.name}.wav` })).status, 200);
  }
  for (const leg of legs) {
    const { post } = probes(leg);
    assert.equal((await post('/call/play', { CallID: leg.callId, AudioFile: `tone${leg.fileHz}.wav` })).status, 200);
    env.emu.calls.tone(leg.callId!, leg.phoneHz, 1.5);
  }

  for (const leg of legs) {
    const heard = await waitFor(
      `${leg.name}: the contact heard the file`,
      async () => {
        const frames = tonesByFrame(env.emu.calls.heard(leg.callId!));
        return frames.get(leg.fileHz)! >= MOST_OF_A_TONE ? frames : undefined;
      },
      LOADED,
    );
    assert.deepEqual(foreign(heard, leg), [], `${leg.contact} hears nothing of the other calls`);
    assert.equal(heard.get(leg.phoneHz), 0, `${leg.contact} does not hear itself`);
  }
  for (const leg of legs) {
    await waitFor(
      `${leg.name}: both directions recorded`,
      async () => {
        const frames = tonesByFrame(await recordingOf(`${leg.name}.wav`));
        return frames.get(leg.fileHz)! >= MOST_OF_A_TONE && frames.get(leg.phoneHz)! >= MOST_OF_A_TONE;
      },
      LOADED,
    );
    const stop = await probes(leg).post('/call/record/stop', { CallID: leg.callId });
    assert.equal(stop.status, 200, JSON.stringify(stop.body));
    const recorded = tonesByFrame(wavSamples(await readRecording(`${leg.name}.wav`)));
    assert.deepEqual(foreign(recorded, leg), [], `${leg.name}'s recording holds its own call only`);
    assert.ok(recorded.get(leg.fileHz)! >= MOST_OF_A_TONE && recorded.get(leg.phoneHz)! >= MOST_OF_A_TONE, `${leg.name}'s recording holds both directions`);
  }

  // hanging up the session's own call leaves the other two up, audio flowing
  const [one, two, three] = legs as [Leg, Leg, Leg];
  const hang = await probes(two).post('/call/hangup', { CallID: two.callId });
  assert.equal(hang.body.data!.Call.State, 'ended');
  await probes(two).emuState(two.callId!, 'ended');
  for (const leg of [one, three]) {
    assert.equal((await probes(leg).status(leg.callId!)).body.data!.State, 'connected', `${leg.name} stays connected`);
    assert.equal(env.emu.calls.get(leg.callId!).state, 'accepted');
  }
  const before = env.emu.calls.heard(three.callId!).length;
  await probes(three).post('/call/play', { CallID: three.callId, AudioFile: `tone${three.fileHz}.wav` });
  const more = await waitFor(
    `${three.name}: the contact hears the file again`,
    async () => {
      const frames = tonesByFrame(env.emu.calls.heard(three.callId!).subarray(before));
      return frames.get(three.fileHz)! >= MOST_OF_A_TONE ? frames : undefined;
    },
    LOADED,
  );
  assert.deepEqual(foreign(more, three), []);
  for (const leg of [one, three]) await probes(leg).post('/call/hangup', { CallID: leg.callId });
  for (const leg of legs) assert.equal(env.emu.calls.get(leg.callId!).audio, false, `${leg.name}: the contact's audio closed`);
});
