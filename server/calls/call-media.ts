import type { Logger } from '../logger';
import { isOpenCall, type CallBook, type TrackedCall } from '../whatsapp/calls/call-book';
import { CallHub } from './hub';
import type { MediaLeg } from './media-leg';
import type { RecordingSummary } from './wav-recorder';

/** Finished recordings remembered per call, for `/call/record/stop` after the call ended. */
const FINISHED_KEPT = 100;

/**
 * The media hubs of one session's calls: a hub starts when a call is answered on a leg that can
 * carry audio, and closes (its playback stopped, its recording finished) when the call ends.
 */
export class CallMedia {
  private readonly hubs = new Map<string, CallHub>();
  private readonly finished = new Map<string, RecordingSummary>();

  constructor(
    book: CallBook,
    readonly leg: MediaLeg,
    private readonly logger: Logger,
  ) {
    book.onChange((call) => this.follow(call));
  }

  hub(callId: string): CallHub | undefined {
    return this.hubs.get(callId);
  }

  /** The recording a call's end finished, if any. */
  finishedRecording(callId: string): RecordingSummary | undefined {
    return this.finished.get(callId);
  }

  /** Closes every hub (the session stops): recordings are finished. */
  async closeAll(): Promise<void> {
    for (const callId of [...this.hubs.keys()]) await this.close(callId);
  }

  private async follow(call: TrackedCall): Promise<void> {
    const answered = call.state === 'accepted' || call.state === 'connected';
    if (answered && !this.leg.unavailable && !this.hubs.has(call.callId)) {
      const hub = new CallHub();
      this.hubs.set(call.callId, hub);
      hub.start();
      return;
    }
    if (!isOpenCall(call.state)) await this.close(call.callId);
  }

  private async close(callId: string): Promise<void> {
    const hub = this.hubs.get(callId);
    if (!hub) return;
    this.hubs.delete(callId);
    const recording = await hub.close();
    if (!recording) return;
    this.finished.set(callId, recording);
    if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.keys().next().value!);
    this.logger.info({ callId, path: recording.path, durationMs: recording.durationMs }, 'call recording finished with the call');
  }
}
