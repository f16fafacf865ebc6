import type { TrackedCall } from '../../whatsapp/calls/call-book';
import type { MediaLeg } from '../../calls/media-leg';

/** A call as the REST API shows it. */
export interface CallView {
  CallID: string;
  Direction: 'incoming' | 'outgoing';
  /** The other party, as phone-number JID and LID when known. */
  Peer: { Jid: string | null; Lid: string | null };
  Creator: string;
  Video: boolean;
  Group: boolean;
  GroupJid: string | null;
  State: string;
  History: Array<{ State: string; At: string; By: string }>;
  StartedAt: string;
  EndedAt: string | null;
  EndReason: string | null;
  /** The call's audio path: `emulator-webrtc`, or `none` (real WhatsApp: no audio). */
  MediaLeg: string;
}

export function callView(call: TrackedCall, leg: MediaLeg): CallView {
  return {
    CallID: call.callId,
    Direction: call.direction,
    Peer: { Jid: call.peerJid, Lid: call.peerLid },
    Creator: call.creator,
    Video: call.isVideo,
    Group: call.isGroup,
    GroupJid: call.groupJid,
    State: call.state,
    History: call.history.map((h) => ({ State: h.state, At: h.at, By: h.by })),
    StartedAt: call.startedAt.toISOString(),
    EndedAt: call.endedAt?.toISOString() ?? null,
    EndReason: call.endReason,
    MediaLeg: leg.kind,
  };
}
