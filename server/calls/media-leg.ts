import type { Config } from '../config';
import type { CallHub } from './hub';

/**
 * The media leg of a call: the audio path between WaGo's media hub for a call and WhatsApp's side
 * of it. Signalling (offer, accept, reject, terminate) is the same for every leg; what carries the
 * audio is not:
 * - `emulator-webrtc`: against WaGo's WhatsApp emulator (sandbox and tests), audio travels over
 *   standard WebRTC between the emulator and WaGo.
 * - `none`: against the real WhatsApp. Its call media (relays, layered SRTP, the MLow codec) is
 *   not implemented, so there is no audio path, and the routes that need one answer 501 rather
 *   than connect a call to silence.
 */
export interface MediaLeg {
  readonly kind: 'emulator-webrtc' | 'none';
  /** Why calls on this leg can carry no audio (the 501's message), or null when they can. */
  readonly unavailable: string | null;
  /** The audio path of one answered call, attached to its hub (null: this leg has none). */
  open(hub: CallHub): Promise<LegSession | null>;
}

/** One call's audio path: negotiated through the call's signalling, closed with the call. */
export interface LegSession {
  /** Sends this side's offer (through `send`); resolves once audio can flow both ways. */
  start(send: (sdp: string) => Promise<void>): Promise<void>;
  /** The other side's answer. */
  remoteAnswer(sdp: string): Promise<void>;
  close(): Promise<void>;
}

export const NO_MEDIA_LEG: MediaLeg = {
  kind: 'none',
  unavailable:
    'calls against WhatsApp have no audio path in WaGo: WhatsApp\'s call media (relays, layered SRTP, the MLow codec) is not implemented, ' +
    'so WaGo does not answer or place calls there; it can track, reject and hang up calls',
  open: async () => null,
};

export const EMULATOR_WEBRTC_LEG: MediaLeg = { kind: 'emulator-webrtc', unavailable: null, open: async (hub) => {
    // WebRTC and Opus (werift, opusscript: some 25 MB) load with the first call that needs them.
    const { EmulatorLegSession } = await import('./emulator-leg');
    return new EmulatorLegSession(hub);
  },
};

/** The media leg of this WaGo's calls: the emulator's when WaGo talks to one (WAGO_WA_WS_URL), else none (or none when configured so). */
export function mediaLegFor(config: Pick<Config, 'WAGO_WA_WS_URL' | 'WAGO_CALL_MEDIA_LEG'>): MediaLeg {
  return config.WAGO_WA_WS_URL && config.WAGO_CALL_MEDIA_LEG === 'auto' ? EMULATOR_WEBRTC_LEG : NO_MEDIA_LEG;
}
