import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallHub } from '../../server/calls/hub';
import { FilePlayer } from '../../server/calls/file-player';
import { FFMPEG } from '../../server/services/messaging/media/run-tool';
import { WavRecorder } from '../../server/calls/wav-recorder';
import { fileToRead, fileToWrite } from '../../server/calls/media-paths';
import { FRAME_SAMPLES, type Frame } from '../../server/calls/pcm';
import { ApiError } from '../../server/http/errors';
import { dominantFrequency, toneWav, voiced, wavSamples } from '../helpers/tone';
import { until } from '../helpers/until';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wago-call-media-'));
  await writeFile(join(dir, 'tone440.wav'), toneWav(440, 1));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Ticks the hub until the player is done, collecting what goes to the call. */
async function playThrough(hub: CallHub, player: FilePlayer): Promise<Int16Array> {
  const out: Frame[] = [];
  hub.onToCall((f) => out.push(f));
  hub.play(player);
  await until(() => {
    for (let i = 0; i < 10; i++) hub.tick();
    return player.state !== 'playing';
  }, 20_000, 'the file played to its end');
  assert.equal(player.state, 'finished', player.error ?? '');
  const all = new Int16Array(out.length * FRAME_SAMPLES);
  out.forEach((f, i) => all.set(f, i * FRAME_SAMPLES));
  return all;
}

test('a 440 Hz WAV file played into the hub reaches the call at 440 Hz, in 20 ms frames', async () => {
  const samples = await playThrough(new CallHub(), new FilePlayer(join(dir, 'tone440.wav')));
  assert.ok(samples.length >= 48_000 && samples.length < 48_000 + 2 * FRAME_SAMPLES, `one second of audio (${samples.length} samples)`);
  assert.equal(dominantFrequency(samples), 440);
});

test('MP3 and Ogg/Opus files are converted by ffmpeg and play at their frequency', async () => {
  for (const [name, args] of [
    ['tone.mp3', ['-c:a', 'libmp3lame']],
    ['tone.ogg', ['-c:a', 'libopus']],
  ] as const) {
    const made = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-i', join(dir, 'tone440.wav'), ...args, join(dir, name)]);
    assert.equal(made.status, 0, String(made.stderr));
    assert.equal(dominantFrequency(voiced(await playThrough(new CallHub(), new FilePlayer(join(dir, name))))), 440, name);
  }
});

test('the recorder writes both directions to a valid WAV: 660 Hz from the call, 440 Hz from the file', async () => {
  const hub = new CallHub();
  const path = join(dir, 'both.wav');
  hub.record(await WavRecorder.create(path));
  const tone = wavSamples(toneWav(660, 1));
  for (let i = 0; i + FRAME_SAMPLES <= tone.length; i += FRAME_SAMPLES) hub.fromCall.push(tone.slice(i, i + FRAME_SAMPLES));
  for (let i = 0; i < 50; i++) hub.tick(); // the call's second, alone
  await playThrough(hub, new FilePlayer(join(dir, 'tone440.wav')));
  const summary = await hub.stopRecording();
  assert.ok(summary && summary.durationMs >= 2000, JSON.stringify(summary));
  const recorded = wavSamples(await readFile(path));
  assert.equal(recorded.length * 2 + 44, summary.bytes);
  assert.equal(dominantFrequency(recorded.subarray(0, 48_000)), 660, 'the call');
  assert.equal(dominantFrequency(voiced(recorded.subarray(48_000))), 440, 'the file');
});

test('pause keeps the place; stop ends the playback', async () => {
  const hub = new CallHub();
  const player = new FilePlayer(join(dir, 'tone440.wav'));
  const out: Frame[] = [];
  hub.onToCall((f) => out.push(f));
  hub.play(player);
  await until(() => (hub.tick(), out.length > 5), 5000, 'frames flow');
  player.pause();
  const paused = out.length;
  for (let i = 0; i < 20; i++) hub.tick();
  assert.equal(out.length, paused, 'nothing plays while paused');
  player.resume();
  await until(() => (hub.tick(), out.length > paused), 5000, 'frames flow again');
  player.stop();
  assert.equal(player.state, 'stopped');
  assert.equal(hub.playing, null);
});

test('paths stay in their folder: .., absolute paths and symbolic links are refused with 400 naming the field; nothing is created', async () => {
  const media = join(dir, 'media');
  const recordings = join(dir, 'recordings');
  await mkdir(media);
  await mkdir(recordings);
  await writeFile(join(media, 'ok.wav'), toneWav(440, 0.1));
  await writeFile(join(dir, 'secret.wav'), toneWav(440, 0.1));
  await symlink(join(dir, 'secret.wav'), join(media, 'link.wav'));
  await symlink(dir, join(recordings, 'out'));
  assert.equal(await fileToRead(media, 'ok.wav', 'AudioFile'), join(media, 'ok.wav'));
  for (const [raw, message] of [
    ['../secret.wav', /^AudioFile: must not contain "\.\."/],
    ['a/../../secret.wav', /^AudioFile: must not contain/],
    [join(dir, 'secret.wav'), /^AudioFile: must be relative/],
    ['link.wav', /^AudioFile: leads out of its folder/],
    ['missing.wav', /^AudioFile: no such file/],
  ] as const) {
    await assert.rejects(fileToRead(media, raw, 'AudioFile'), (e: unknown) => e instanceof ApiError && e.status === 400 && message.test(e.message), raw);
  }
  for (const [raw, message] of [
    ['../escape.wav', /^Path: must not contain/],
    ['/tmp/escape.wav', /^Path: must be relative/],
    ['out/escape.wav', /^Path: leads out of its folder/],
    ['out/deeper/escape.wav', /^Path: leads out of its folder/],
  ] as const) {
    await assert.rejects(fileToWrite(recordings, raw, 'Path'), (e: unknown) => e instanceof ApiError && e.status === 400 && message.test(e.message), raw);
  }
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('escape')), []);
  assert.deepEqual(await readdir(recordings), ['out']);
  assert.equal(await fileToWrite(recordings, 'a/b/c.wav', 'Path'), join(recordings, 'a/b/c.wav'));
});
