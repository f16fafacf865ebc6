import { AudioPeer } from './audio-peer';
import type { CallHub } from './hub';

/**
 * The browser's live audio in a call: a WebRTC peer (werift) answering the browser's offer. The
 * browser's microphone goes into the hub (`fromBrowser`, mixed into what goes to the call); the
 * call comes back to the browser's speaker (`onToBrowser`). Closing it leaves the call up.
 */
export class BrowserBridge {
  private readonly peer: AudioPeer;
  private readonly detach: () => void;

  constructor(hub: CallHub, iceServers: ConstructorParameters<typeof AudioPeer>[1]) {
    this.peer = new AudioPeer((frame) => hub.fromBrowser.push(frame), iceServers);
    this.detach = hub.onToBrowser((frame) => this.peer.send(frame));
  }

  /** WaGo's SDP answer to the browser's offer. */
  answer(offerSdp: string): Promise<string> {
    return this.peer.answer(offerSdp);
  }

  async close(): Promise<void> {
    this.detach();
    await this.peer.close();
  }
}
