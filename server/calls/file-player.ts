import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { FFMPEG } from '../services/messaging/media/run-tool';
import { FRAME_BYTES, SAMPLE_RATE, frameFromBytes, type Frame } from './pcm';

/** How far ahead of playback the decoder may run (bytes of PCM); it is paused beyond. */
const AHEAD_MAX = SAMPLE_RATE * 2 * 2; // 2 s
const AHEAD_RESUME = SAMPLE_RATE * 2; // 1 s

export type PlayerState = 'playing' | 'paused' | 'finished' | 'stopped' | 'failed';

/**
 * Plays a file (any format ffmpeg reads: WAV, MP3, Ogg/Opus…) as 48 kHz mono PCM frames, one per
 * `pull()`. Debian's ffmpeg decodes it as a stream, a little ahead of playback; a paused player
 * gives no frames and keeps its place.
 */
export class FilePlayer {
  state: PlayerState = 'playing';
  error: string | null = null;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private decoded = false;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  private readonly endListeners: Array<(state: PlayerState) => void> = [];

  constructor(readonly path: string) {
    this.child = spawn(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', path, '-vn', '-f', 's16le', '-acodec', 'pcm_s16le', '-ac', '1', '-ar', String(SAMPLE_RATE), 'pipe:1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
      if (this.bufferedBytes > AHEAD_MAX) this.child.stdout.pause();
    });
    this.child.stderr.setEncoding('utf8').on('data', (c: string) => {
      this.stderr = (this.stderr + c).slice(-1000);
    });
    this.child.on('error', (error) => this.fail(`could not run ffmpeg: ${error.message}`));
    this.child.on('close', (code, signal) => {
      this.decoded = true;
      if (code !== 0 && this.state !== 'stopped') this.fail(`ffmpeg could not decode the file (${signal ?? `exit ${code}`}): ${this.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    });
  }

  /** The next 20 ms of the file; null while paused, before the decoder catches up, or once it is over. */
  pull(): Frame | null {
    if (this.state !== 'playing') return null;
    if (this.bufferedBytes < FRAME_BYTES) {
      if (this.decoded) this.end(this.bufferedBytes > 0 ? this.take(this.bufferedBytes) : null);
      return this.state === 'playing' ? null : this.lastFrame;
    }
    const frame = frameFromBytes(this.take(FRAME_BYTES));
    if (this.bufferedBytes < AHEAD_RESUME && this.child.stdout.isPaused()) this.child.stdout.resume();
    return frame;
  }

  pause(): void {
    if (this.state === 'playing') this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused') this.state = 'playing';
  }

  stop(): void {
    if (this.state === 'playing' || this.state === 'paused') this.finish('stopped');
  }

  onEnd(listener: (state: PlayerState) => void): void {
    this.endListeners.push(listener);
  }

  private lastFrame: Frame | null = null;

  /** The decoder's last partial frame, padded with silence. */
  private end(rest: Buffer | null): void {
    if (rest) {
      const padded = Buffer.alloc(FRAME_BYTES);
      rest.copy(padded);
      this.lastFrame = frameFromBytes(padded);
    }
    this.finish('finished');
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.bufferedBytes = rest.length;
    return out;
  }

  private fail(message: string): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    this.error = message;
    this.finish('failed');
  }

  private finish(state: PlayerState): void {
    this.state = state;
    if (!this.decoded) this.child.kill('SIGKILL');
    for (const listener of this.endListeners.splice(0)) listener(state);
  }
}
