import { AudioPeer } from './audio-peer';
import type { CallHub } from './hub';

/**
 * The emulator's media leg: standard WebRTC (werift, Opus) between WaGo and the WhatsApp
 * emulator. WaGo offers; the SDP travels in the call's `<transport>` stanzas (a `<webrtc>` child
 * only the emulator understands); the emulated phone answers. What the phone says goes into the
 * hub's `fromCall`, what the hub sends to the call goes to the phone.
 */
export class EmulatorLegSession {
  private readonly peer: AudioPeer;
  private readonly detach: () => void;

  constructor(hub: CallHub) {
    this.peer = new AudioPeer((frame) => hub.fromCall.push(frame));
    this.detach = hub.onToCall((frame) => this.peer.send(frame));
  }

  /** Sends WaGo's offer (through `send`), and resolves once audio can flow both ways. */
  async start(send: (sdp: string) => Promise<void>, timeoutMs = 15_000): Promise<void> {
    await send(await this.peer.offer());
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.peer.connected,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no audio path within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The emulator's answer. */
  async remoteAnswer(sdp: string): Promise<void> {
    await this.peer.accept(sdp);
  }

  async close(): Promise<void> {
    this.detach();
    await this.peer.close();
  }
}
