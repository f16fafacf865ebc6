import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, linkedSession, OWNER_PHONE, ALICE, type EmulatedWago } from '../helpers/emulated-wago';

import { callProbes } from '../helpers/calls';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dominantFrequency, toneWav, voiced, wavSamples } from '../helpers/tone';
import { AudioPeer } from '../../server/calls/audio-peer';
import { FRAME_SAMPLES } from '../../server/calls/pcm';

let env: EmulatedWago;
let token: string;
let events: Awaited<ReturnType<typeof listen>>;
let dir: string;
let media: string;
/** Call audio against the emulator: the media hub, the emulator's WebRTC leg, the browser bridge, files. */
let recordings: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wago-call-audio-'));
  media = join(dir, 'media');
  recordings = join(dir, 'recordings');
  await mkdir(media);
  await writeFile(join(media, 'tone440.wav'), toneWav(440, 1));
  await writeFile(join(dir, 'outside.wav'), toneWav(440, 0.1));
  env = await startEmulatedWago({ WAGO_CALL_MEDIA_DIR: media, WAGO_CALL_RECORDINGS_DIR: recordings });
  token = await linkedSession(env, 'call-audio');
  events = await listen(env.wago.url, token);
});
after(async () => {
  events?.socket.close();
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

const { status, post, callEvent, wagoState, emuState } = callProbes(() => env, () => token, () => events);

/** The session's recordings folder (the only one in the recordings folder). */
const sessionFolder = async () => join(recordings, (await readdir(recordings))[0]!);

/** The contact's phone calls the session's account; resolves once WaGo tracks the call as ringing. */
async function incoming(from = ALICE): Promise<string> {
  const call = await env.emu.calls.start(from, OWNER_PHONE);
  await callEvent(call.id, 'ringing');
  return call.id;
}


test('/call/play plays a file into an answered call and /call/record writes it: the WAV holds the 440 Hz tone', async () => {
  const id = await incoming();
  assert.equal((await post('/call/play', { CallID: id, AudioFile: 'tone440.wav' })).status, 409, 'a ringing call has no audio yet');
  await post('/call/answer', { CallID: id });
  const rec = await env.wago.call<{ Path: string }>('POST', '/call/record', { token, body: { CallID: id, Path: 'calls/first.wav' } });
  assert.equal(rec.status, 200, JSON.stringify(rec.body));
  assert.equal(rec.body.data!.Path, 'calls/first.wav');
  assert.equal((await post('/call/record', { CallID: id })).status, 409, 'one recording at a time');
  const play = await env.wago.call<{ State: string }>('POST', '/call/play', { token, body: { CallID: id, AudioFile: 'tone440.wav' } });
  assert.equal(play.status, 200, JSON.stringify(play.body));
  assert.equal(play.body.data!.State, 'playing');
  const file = join(await sessionFolder(), 'calls', 'first.wav');
  // the recorder writes as the call goes: wait until the tone is in, followed by a fifth of a second of silence
  await waitFor('the tone recorded', async () => {
    const bytes = await readFile(file);
    const written = new Int16Array(bytes.buffer, bytes.byteOffset + 44, Math.floor((bytes.length - 44) / 2));
    let last = written.length - 1;
    while (last >= 0 && written[last] === 0) last--;
    return last > 0 && written.length - 1 - last > 0.2 * 48_000;
  });
  const stop = await env.wago.call<{ Bytes: number; DurationMs: number; Path: string }>('POST', '/call/record/stop', { token, body: { CallID: id } });
  assert.equal(stop.status, 200, JSON.stringify(stop.body));
  const samples = wavSamples(await readFile(file));
  assert.equal(stop.body.data!.Bytes, 44 + samples.length * 2);
  const tone = voiced(samples);
  assert.ok(tone.length >= 47_000 && tone.length <= 49_000, `about one second of tone (${tone.length} samples)`);
  assert.equal(dominantFrequency(tone), 440);
  assert.equal((await post('/call/record/stop', { CallID: id })).status, 409, 'nothing is recorded any more');
  await post('/call/hangup', { CallID: id });
});

test('/call/play/pause, /resume and /stop drive the playback; the call\'s end finishes its recording', async () => {
  const id = await incoming();
  await post('/call/answer', { CallID: id });
  await post('/call/record', { CallID: id, Path: 'second.wav' });
  const control = (path: string) => env.wago.call<{ State: string }>('POST', path, { token, body: { CallID: id } });
  assert.equal((await control('/call/play/pause')).status, 409, 'nothing plays yet');
  await post('/call/play', { CallID: id, AudioFile: 'tone440.wav' });
  assert.equal((await control('/call/play/pause')).body.data!.State, 'paused');
  assert.equal((await control('/call/play/pause')).status, 409);
  assert.equal((await control('/call/play/resume')).body.data!.State, 'playing');
  assert.equal((await control('/call/play/resume')).status, 409);
  assert.equal((await control('/call/play/stop')).body.data!.State, 'stopped');
  assert.equal((await control('/call/play/stop')).status, 409);
  env.emu.calls.hangup(id);
  await wagoState(id, 'ended');
  const finished = await waitFor('the recording finished', async () => {
    const r = await env.wago.call<{ Recording: boolean; Path: string; Bytes: number }>('POST', '/call/record/stop', { token, body: { CallID: id } });
    return r.status === 200 ? r.body.data : undefined;
  });
  assert.equal(finished.Recording, false);
  assert.equal(finished.Path, 'second.wav');
  wavSamples(await readFile(join(await sessionFolder(), 'second.wav')));
});

test('audio flows over the emulator\'s media leg: a 440 Hz file reaches the contact; the contact\'s 660 Hz tone lands in the WAV recording', async () => {
  const id = await incoming();
  const connected = callEvent(id, 'connected');
  await post('/call/answer', { CallID: id });
  assert.equal((await connected).data.previous, 'accepted', 'connected once the audio path is up');
  assert.equal((await status(id)).body.data!.State, 'connected');
  await waitFor('the phone\'s audio connected', async () => env.emu.calls.get(id).audio);

  await post('/call/record', { CallID: id, Path: 'both-ways.wav' });
  await post('/call/play', { CallID: id, AudioFile: 'tone440.wav' });
  const heard = await waitFor('the contact heard the file', async () => {
    const tone = voiced(env.emu.calls.heard(id));
    return tone.length > 0.9 * 48_000 ? tone : undefined;
  });
  assert.equal(dominantFrequency(heard), 440, 'the contact hears 440 Hz');

  env.emu.calls.tone(id, 660, 1);
  const file = join(await sessionFolder(), 'both-ways.wav');
  await waitFor('the contact\'s tone recorded', async () => {
    const bytes = await readFile(file);
    const written = voiced(new Int16Array(bytes.buffer, bytes.byteOffset + 44, Math.floor((bytes.length - 44) / 2)));
    return written.length > 1.8 * 48_000 && dominantFrequency(written.subarray(written.length - 24_000)) === 660;
  });
  await post('/call/record/stop', { CallID: id });
  const recorded = voiced(wavSamples(await readFile(file)));
  assert.equal(dominantFrequency(recorded.subarray(0, 24_000)), 440, 'the file, going to the contact');
  assert.equal(dominantFrequency(recorded.subarray(recorded.length - 24_000)), 660, 'the contact');
  await post('/call/hangup', { CallID: id });
  assert.equal(env.emu.calls.get(id).audio, false, 'the phone\'s audio closed with the call');
});

test('/call/webrtc/*: a WebRTC peer standing in for the browser talks to the contact (880 Hz) and hears it back (660 Hz); closing it keeps the call', async () => {
  const config = await env.wago.call<{ iceServers: unknown[]; turn: boolean }>('GET', '/call/webrtc/config', { token });
  assert.deepEqual(config.body.data, { iceServers: [], turn: false });

  const id = await incoming();
  const connected = callEvent(id, 'connected');
  await post('/call/answer', { CallID: id });
  await connected;
  await waitFor('the phone\'s audio connected', async () => env.emu.calls.get(id).audio);

  const browserHeard: Int16Array[] = [];
  const browser = new AudioPeer((frame) => browserHeard.push(frame));
  try {
    const offer = await browser.offer();
    const r = await env.wago.call<{ callID: string; type: string; sdp: string }>('POST', '/call/webrtc/offer', { token, body: { callID: id, sdp: offer, type: 'offer' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data!.type, 'answer');
    await browser.accept(r.body.data!.sdp);
    await browser.connected;

    // the microphone: one second of 880 Hz, frame by frame
    const tone = wavSamples(toneWav(880, 1));
    let at = 0;
    const mic = setInterval(() => {
      if (at + FRAME_SAMPLES > tone.length) return clearInterval(mic);
      browser.send(tone.slice(at, at + FRAME_SAMPLES));
      at += FRAME_SAMPLES;
    }, 20);
    const heardByContact = await waitFor('the contact heard the microphone', async () => {
      const heard = voiced(env.emu.calls.heard(id));
      return heard.length > 0.6 * 48_000 ? heard : undefined;
    });
    clearInterval(mic);
    assert.equal(dominantFrequency(heardByContact), 880);

    env.emu.calls.tone(id, 660, 1);
    await waitFor('the browser heard the contact', async () => browserHeard.length > 30);
    const speaker = new Int16Array(browserHeard.length * FRAME_SAMPLES);
    browserHeard.forEach((f, i) => speaker.set(f, i * FRAME_SAMPLES));
    assert.equal(dominantFrequency(voiced(speaker)), 660);

    const close = await env.wago.call('POST', '/call/webrtc/close', { token, body: { callID: id } });
    assert.equal(close.status, 200, JSON.stringify(close.body));
    assert.equal((await env.wago.call('POST', '/call/webrtc/close', { token, body: { callID: id } })).status, 409, 'nothing attached any more');
    assert.equal((await status(id)).body.data!.State, 'connected', 'the call goes on');
  } finally {
    await browser.close();
  }
  for (const [body, code, message] of [
    [{ callID: id, sdp: 'nope' }, 400, /^sdp: must be an SDP offer/],
    [{ callID: id, sdp: 'v=0\r\n', type: 'answer' }, 400, /^type: must be "offer"/],
    [{ callID: 'NOSUCHCALL', sdp: 'v=0\r\n' }, 404, /^callID: no call/],
    [{ sdp: 'v=0\r\n' }, 400, /^callID is required/],
  ] as const) {
    const r = await env.wago.call('POST', '/call/webrtc/offer', { token, body });
    assert.equal(r.status, code, JSON.stringify(r.body));
    assert.match(r.body.error ?? '', message);
  }
  await post('/call/hangup', { CallID: id });
  const ended = await env.wago.call('POST', '/call/webrtc/offer', { token, body: { callID: id, sdp: 'v=0\r\n' } });
  assert.equal(ended.status, 409, 'no browser joins a call that is over');
});

test('/call/make with AudioFile: once the contact answers and audio flows, the contact hears the file (440 Hz)', async () => {
  const calls = env.emu.calls.list().length;
  const refused = await post('/call/make', { CallTo: ALICE, AudioFile: '../outside.wav' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error ?? '', /^AudioFile: must not contain/);
  assert.equal(env.emu.calls.list().length, calls, 'no offer went out');

  const r = await post('/call/make', { CallTo: ALICE, AudioFile: 'tone440.wav' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data!.Call.CallID;
  await callEvent(id, 'ringing');
  const connected = callEvent(id, 'connected');
  env.emu.calls.accept(id);
  await connected;
  const heard = await waitFor('the contact heard the file', async () => {
    const tone = env.emu.calls.get(id).audio ? voiced(env.emu.calls.heard(id)) : new Int16Array(0);
    return tone.length > 0.9 * 48_000 ? tone : undefined;
  });
  assert.equal(dominantFrequency(heard), 440);
  await post('/call/hangup', { CallID: id });
});

test('paths that leave their folder are refused with 400 naming the field, and no file is created', async () => {
  const id = await incoming();
  await post('/call/answer', { CallID: id });
  const before = await readdir(dir);
  const cases: Array<[string, unknown, RegExp]> = [
    ['/call/play', { CallID: id, AudioFile: '../outside.wav' }, /^AudioFile: must not contain "\.\."/],
    ['/call/play', { CallID: id, AudioFile: join(dir, 'outside.wav') }, /^AudioFile: must be relative/],
    ['/call/play', { CallID: id, AudioFile: 'missing.wav' }, /^AudioFile: no such file/],
    ['/call/record', { CallID: id, Path: '../../../escape.wav' }, /^Path: must not contain/],
    ['/call/record', { CallID: id, Path: join(dir, 'escape.wav') }, /^Path: must be relative/],
    ['/call/record', { CallID: id, Path: 'notes.txt' }, /^Path: must end in \.wav/],
    ['/call/play', { CallID: 'NOSUCHCALL', AudioFile: 'tone440.wav' }, /^CallID: no call/],
  ];
  for (const [path, body, message] of cases) {
    const r = await env.wago.call('POST', path, { token, body });
    assert.equal(r.status, (body as { CallID: string }).CallID === 'NOSUCHCALL' ? 404 : 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error ?? '', message);
  }
  assert.deepEqual(await readdir(dir), before, 'nothing created next to the folders');
  await post('/call/hangup', { CallID: id });
});

test('with no media leg (as against the real WhatsApp), answering, placing a call and the audio routes answer 501 and send nothing; reject still works', async () => {
  events.socket.close();
  await env.restart({ WAGO_CALL_MEDIA_LEG: 'none' });
  await waitFor('reconnected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data?.Connected);
  events = await listen(env.wago.url, token);
  const id = await incoming();
  assert.equal((await status(id)).body.data!.MediaLeg, 'none');
  const answer = await post('/call/answer', { CallID: id });
  assert.equal(answer.status, 501, JSON.stringify(answer.body));
  assert.match(answer.body.error ?? '', /no audio path/);
  assert.equal(env.emu.calls.get(id).state, 'ringing', 'no accept reached the caller');
  for (const [path, body] of [
    ['/call/play', { CallID: id, AudioFile: 'tone440.wav' }],
    ['/call/record', { CallID: id }],
    ['/call/webrtc/offer', { callID: id, sdp: 'v=0\r\n' }],
  ] as const) {
    assert.equal((await env.wago.call('POST', path, { token, body })).status, 501, path);
  }
  const calls = env.emu.calls.list().length;
  assert.equal((await post('/call/make', { CallTo: ALICE })).status, 501);
  assert.equal(env.emu.calls.list().length, calls, 'no offer went out');
  assert.equal((await post('/call/reject', { CallID: id })).status, 200);
  await emuState(id, 'rejected');
});
