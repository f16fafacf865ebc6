import { open, type FileHandle } from 'node:fs/promises';
import { FRAME_MS, SAMPLE_RATE, frameToBytes, type Frame } from './pcm';

const HEADER_BYTES = 44;

/** The 44-byte header of a PCM WAV file (mono, 16-bit, 48 kHz) holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export interface RecordingSummary {
  path: string;
  bytes: number;
  durationMs: number;
}

/**
 * Writes a call's audio to a WAV file as it comes: the header first with sizes of zero, frames
 * appended in order, and the sizes written into the header when the recording stops (so a
 * finished file is a valid WAV). The file is created exclusively: an existing one is never
 * overwritten.
 */
export class WavRecorder {
  private dataBytes = 0;
  private frames = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<WavRecorder> {
    const file = await open(path, 'wx', 0o640);
    await file.write(wavHeader(0), 0, HEADER_BYTES, 0);
    return new WavRecorder(path, file);
  }

  /** Appends one frame (in order; writes are queued). */
  write(frame: Frame): void {
    if (this.closed || this.failure) return;
    const bytes = frameToBytes(frame);
    const offset = HEADER_BYTES + this.dataBytes;
    this.dataBytes += bytes.length;
    this.frames++;
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        await this.file.write(bytes, 0, bytes.length, offset);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Finishes the file: pending frames written, then the header's sizes. */
  async stop(): Promise<RecordingSummary> {
    if (!this.closed) {
      this.closed = true;
      await this.writing;
      try {
        if (!this.failure) await this.file.write(wavHeader(this.dataBytes), 0, HEADER_BYTES, 0);
      } finally {
        await this.file.close();
      }
    }
    if (this.failure) throw this.failure;
    return { path: this.path, bytes: HEADER_BYTES + this.dataBytes, durationMs: this.frames * FRAME_MS };
  }
}
