import type { BinaryNode } from 'baileys';
import type { Logger } from '../logger';
import { isOpenCall, peerAddress, type CallBook, type TrackedCall } from '../whatsapp/calls/call-book';
import { webrtcTransportNode, type CallSignal } from '../whatsapp/calls/call-nodes';
import { CallHub } from './hub';
import { FilePlayer } from './file-player';
import type { BrowserBridge } from './browser-bridge';
import type { IceServer } from './ice-servers';
import type { LegSession, MediaLeg } from './media-leg';
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
  private readonly legs = new Map<string, LegSession>();
  private readonly browsers = new Map<string, BrowserBridge>();
  /** Files to play once a call is connected (`/call/make`'s AudioFile). */
  private readonly playOnConnect = new Map<string, string>();

  constructor(
    private readonly book: CallBook,
    readonly leg: MediaLeg,
    private readonly logger: Logger,
    /** Sends a call stanza to WhatsApp (the session's socket). */
    private readonly send: (stanza: BinaryNode) => Promise<unknown>,
  ) {
    book.onChange((call) => this.follow(call));
  }

  /** Plays `path` into the call once it is connected. */
  playWhenConnected(callId: string, path: string): void {
    this.playOnConnect.set(callId, path);
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
      const session = await this.leg.open(hub);
      if (session && this.hubs.get(call.callId) !== hub) {
        // The call ended while its media leg loaded.
        await session.close().catch((error: unknown) => this.logger.warn({ err: error, callId: call.callId }, 'closing the media leg failed'));
        return;
      }
      if (session) {
        this.legs.set(call.callId, session);
        void this.connect(call, session);
      }
      return;
    }
    if (!isOpenCall(call.state)) await this.close(call.callId);
  }

  /** Attaches a browser to the call's hub (in place of one attached before): WaGo's SDP answer. */
  async attachBrowser(callId: string, hub: CallHub, offerSdp: string, iceServers: IceServer[]): Promise<string> {
    await this.detachBrowser(callId);
    const { BrowserBridge } = await import('./browser-bridge');
    const bridge = new BrowserBridge(hub, iceServers);
    this.browsers.set(callId, bridge);
    try {
      return await bridge.answer(offerSdp);
    } catch (error) {
      await this.detachBrowser(callId);
      throw error;
    }
  }

  /** Detaches the call's browser; false when none was attached. The call stays up. */
  async detachBrowser(callId: string): Promise<boolean> {
    const bridge = this.browsers.get(callId);
    if (!bridge) return false;
    this.browsers.delete(callId);
    await bridge.close().catch((error: unknown) => this.logger.warn({ err: error, callId }, 'closing the browser bridge failed'));
    return true;
  }

  /** The call's answer from WhatsApp's side of the media leg (a `<transport>` with SDP). */
  async onTransport(signal: CallSignal): Promise<void> {
    const session = this.legs.get(signal.callId);
    if (!session || signal.webrtc?.type !== 'answer') return;
    await session.remoteAnswer(signal.webrtc.sdp);
  }

  /** Negotiates the call's audio path; the call is `connected` once audio can flow. */
  private async connect(call: TrackedCall, session: LegSession): Promise<void> {
    try {
      await session.start((sdp) => this.send(webrtcTransportNode(peerAddress(call), call.callId, call.creator, 'offer', sdp)).then(() => undefined));
      if (this.legs.get(call.callId) !== session || call.state !== 'accepted') return;
      await this.book.transition(call, 'connected', 'gateway', 'transport');
      const file = this.playOnConnect.get(call.callId);
      this.playOnConnect.delete(call.callId);
      if (file) this.hubs.get(call.callId)?.play(new FilePlayer(file));
    } catch (error) {
      this.logger.error({ err: error, callId: call.callId }, 'the call has no audio path: the media leg did not connect');
    }
  }

  private async close(callId: string): Promise<void> {
    this.playOnConnect.delete(callId);
    await this.detachBrowser(callId);
    const session = this.legs.get(callId);
    this.legs.delete(callId);
    await session?.close().catch((error: unknown) => this.logger.warn({ err: error, callId }, 'closing the media leg failed'));
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
