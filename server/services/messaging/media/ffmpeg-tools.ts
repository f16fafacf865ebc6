import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { FFMPEG, FFPROBE, runTool, withTempInput } from './run-tool';

export const OPUS_MIME = 'audio/ogg; codecs=opus';

/** Converts any audio ffmpeg reads to Ogg/Opus, 48 kHz mono (WhatsApp voice notes). */
export function toOggOpus(input: Buffer, ext: string): Promise<Buffer> {
  return withTempInput(input, ext, async (inputPath, dir) => {
    const out = join(dir, 'out.ogg');
    await runTool(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', inputPath, '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'ogg', out]);
    return readFile(out);
  });
}

/** Duration in whole seconds (rounded up), or undefined when ffprobe cannot tell. */
export function durationSeconds(input: Buffer, ext: string): Promise<number | undefined> {
  return withTempInput(input, ext, async (inputPath) => {
    const out = await runTool(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', inputPath], 20_000);
    const seconds = Number.parseFloat(out.trim());
    return Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.ceil(seconds)) : undefined;
  });
}

/** A small JPEG of the first frame of a video (base64-able thumbnail), or undefined when none can be made. */
export function videoThumbnail(input: Buffer, ext: string): Promise<Buffer> {
  return withTempInput(input, ext, async (inputPath, dir) => {
    const out = join(dir, 'thumb.jpg');
    await runTool(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', inputPath, '-vf', 'scale=96:-2', '-frames:v', '1', '-f', 'image2', out], 30_000);
    return readFile(out);
  });
}

const WAVEFORM_BARS = 64;

/**
 * A voice note's waveform as WhatsApp shows it: 64 bars, 0–100, from the mean loudness of
 * each slice (decoded to 8 kHz mono PCM by ffmpeg).
 */
export function voiceWaveform(input: Buffer, ext: string): Promise<Uint8Array> {
  return withTempInput(input, ext, async (inputPath, dir) => {
    const out = join(dir, 'pcm.raw');
    await runTool(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', inputPath, '-vn', '-ac', '1', '-ar', '8000', '-f', 's16le', '-acodec', 'pcm_s16le', out], 30_000);
    const pcm = await readFile(out);
    const samples = Math.floor(pcm.length / 2);
    const perBar = Math.max(1, Math.floor(samples / WAVEFORM_BARS));
    const bars = new Array<number>(WAVEFORM_BARS).fill(0);
    for (let bar = 0; bar < WAVEFORM_BARS; bar++) {
      let sum = 0;
      let count = 0;
      for (let i = bar * perBar; i < Math.min(samples, (bar + 1) * perBar); i++, count++) sum += Math.abs(pcm.readInt16LE(i * 2));
      bars[bar] = count ? sum / count : 0;
    }
    const peak = Math.max(...bars, 1);
    return Uint8Array.from(bars.map((v) => Math.round((v / peak) * 100)));
  });
}
