/**
 * The media hub's audio format: 48 kHz mono signed 16-bit PCM, in 20 ms frames of 960 samples
 * (what WebRTC's Opus carries, and what ffmpeg converts every file to).
 */
export const SAMPLE_RATE = 48_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
export const FRAME_BYTES = FRAME_SAMPLES * 2;

export type Frame = Int16Array;

export const silence = (): Frame => new Int16Array(FRAME_SAMPLES);

/** Sums frames sample by sample, clipped to 16 bits; absent frames count as silence (null when all are absent). */
export function mix(...frames: Array<Frame | null | undefined>): Frame | null {
  const present = frames.filter((f): f is Frame => Boolean(f));
  if (present.length === 0) return null;
  if (present.length === 1) return present[0]!;
  const out = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    let sum = 0;
    for (const f of present) sum += f[i] ?? 0;
    out[i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
  }
  return out;
}

/** A frame from little-endian PCM bytes (exactly FRAME_BYTES of them). */
export function frameFromBytes(bytes: Buffer): Frame {
  const frame = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) frame[i] = bytes.readInt16LE(i * 2);
  return frame;
}

/** Little-endian PCM bytes of a frame. */
export function frameToBytes(frame: Frame): Buffer {
  const out = Buffer.alloc(frame.length * 2);
  for (let i = 0; i < frame.length; i++) out.writeInt16LE(frame[i]!, i * 2);
  return out;
}

/** A bounded queue of frames (a small jitter buffer): the oldest go first when it overflows. */
export class FrameQueue {
  private readonly frames: Frame[] = [];
  constructor(private readonly max = 10) {}

  push(frame: Frame): void {
    this.frames.push(frame);
    while (this.frames.length > this.max) this.frames.shift();
  }

  /** The next frame, or null when none arrived in time. */
  pull(): Frame | null {
    return this.frames.shift() ?? null;
  }
}
