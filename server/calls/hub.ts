import { FRAME_MS, FrameQueue, mix, silence, type Frame } from './pcm';
import type { FilePlayer } from './file-player';
import type { RecordingSummary, WavRecorder } from './wav-recorder';

type FrameListener = (frame: Frame) => void;

/**
 * The media hub of one call: every 20 ms it takes one frame from each source and mixes them.
 * - to the call: the browser's microphone + the file playing;
 * - to the browser's speaker: the call;
 * - to the recorder: both directions (the call + what goes to it).
 * The media leg pushes what the call says with `fromCall.push` and listens with `onToCall`; the
 * browser bridge does the same with `fromBrowser` / `onToBrowser`. A source with nothing ready
 * counts as silence; nothing is sent where every source is silent.
 */
export class CallHub {
  readonly fromCall = new FrameQueue();
  readonly fromBrowser = new FrameQueue();
  private player: FilePlayer | null = null;
  private recorder: WavRecorder | null = null;
  private readonly toCall = new Set<FrameListener>();
  private readonly toBrowser = new Set<FrameListener>();
  private timer?: NodeJS.Timeout;
  private nextAt = 0;
  /** Frames mixed since the hub started. */
  ticks = 0;

  onToCall(listener: FrameListener): () => void {
    this.toCall.add(listener);
    return () => this.toCall.delete(listener);
  }

  onToBrowser(listener: FrameListener): () => void {
    this.toBrowser.add(listener);
    return () => this.toBrowser.delete(listener);
  }

  get playing(): FilePlayer | null {
    return this.player;
  }

  get recording(): WavRecorder | null {
    return this.recorder;
  }

  /** Plays a file into the call, in place of the one playing (stopped). */
  play(player: FilePlayer): void {
    this.player?.stop();
    this.player = player;
    player.onEnd(() => {
      if (this.player === player) this.player = null;
    });
  }

  record(recorder: WavRecorder): void {
    if (this.recorder) throw new Error('the call is being recorded already');
    this.recorder = recorder;
  }

  async stopRecording(): Promise<RecordingSummary | null> {
    const recorder = this.recorder;
    this.recorder = null;
    return recorder ? recorder.stop() : null;
  }

  /** Mixes one 20 ms frame (the hub's clock calls it; tests may call it directly). */
  tick(): void {
    this.ticks++;
    const callIn = this.fromCall.pull();
    const out = mix(this.fromBrowser.pull(), this.player?.pull());
    if (out) for (const listener of this.toCall) listener(out);
    if (callIn) for (const listener of this.toBrowser) listener(callIn);
    // the recording keeps the call's timeline: silence where nobody speaks
    this.recorder?.write(mix(callIn, out) ?? silence());
  }

  /** Starts the 20 ms clock: it catches up on late turns of the event loop, frame by frame. */
  start(): void {
    if (this.timer) return;
    this.nextAt = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      let late = 0;
      while (this.nextAt <= now && late++ < 50) {
        this.tick();
        this.nextAt += FRAME_MS;
      }
      if (this.nextAt <= now) this.nextAt = now; // more than a second behind: skip, do not burst
    }, FRAME_MS / 2);
    this.timer.unref();
  }

  /** Stops the clock, the playback and the recording (its file finished). */
  async close(): Promise<RecordingSummary | null> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.player?.stop();
    this.player = null;
    this.toCall.clear();
    this.toBrowser.clear();
    return this.stopRecording();
  }
}
