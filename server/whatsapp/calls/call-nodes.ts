import { getAllBinaryNodeChildren, getBinaryNodeChild, getCallStatusFromNode, type BinaryNode, type WACallUpdateType } from 'baileys';

/**
 * The `<call>` stanzas of WhatsApp's call signalling, read and built. What WhatsApp sends: a
 * `<call from t [offline]>` with one child naming the step (`offer`, `offer_notice`, `preaccept`,
 * `accept`, `reject`, `terminate` [`reason="timeout"`], `transport`, `relaylatency`…), each with
 * `call-id` and `call-creator`. The offer carries the codecs, the network medium and the call
 * key, Signal-encrypted for each of the callee's devices (`<enc>`).
 */

/** One call stanza WhatsApp delivered, as the call tracker needs it. */
export interface CallSignal {
  kind: WACallUpdateType;
  callId: string;
  creator: string;
  /** The stanza's sender: the peer (LID or phone-number JID), or a group for group calls. */
  from: string;
  /** The caller's phone-number JID when the offer names it (`caller_pn`). */
  callerPn: string | null;
  isVideo: boolean;
  isGroup: boolean;
  groupJid: string | null;
  /** `terminate` reason (e.g. timeout), when given. */
  reason: string | null;
  at: Date;
  offline: boolean;
  /** The emulator's media leg: SDP in a `<transport>` step (see calls/emulator-leg.ts). */
  webrtc: { type: string; sdp: string } | null;
}

/** Reads a `<call>` stanza; undefined for one without a step or call id (logged by the caller). */
export function readCallNode(stanza: BinaryNode): CallSignal | undefined {
  const [info] = getAllBinaryNodeChildren(stanza);
  const callId = info?.attrs['call-id'];
  if (!info || !callId) return undefined;
  const creator = info.attrs['call-creator'] ?? info.attrs.from ?? stanza.attrs.from;
  const t = Number(stanza.attrs.t);
  return {
    kind: getCallStatusFromNode(info),
    callId,
    creator,
    from: info.attrs.from ?? stanza.attrs.from,
    callerPn: info.attrs.caller_pn ?? null,
    isVideo: Boolean(getBinaryNodeChild(info, 'video')),
    isGroup: info.attrs.type === 'group' || Boolean(info.attrs['group-jid']),
    groupJid: info.attrs['group-jid'] ?? null,
    reason: info.attrs.reason ?? null,
    at: Number.isFinite(t) && t > 0 ? new Date(t * 1000) : new Date(),
    offline: Boolean(stanza.attrs.offline),
    webrtc: readWebrtc(info),
  };
}

function readWebrtc(info: BinaryNode): CallSignal['webrtc'] {
  const webrtc = getBinaryNodeChild(info, 'webrtc');
  const content = webrtc?.content;
  if (!webrtc || !(content instanceof Uint8Array || typeof content === 'string')) return null;
  return { type: webrtc.attrs.type ?? '', sdp: typeof content === 'string' ? content : Buffer.from(content).toString('utf8') };
}

/** The codecs and transport an audio call offers or accepts (Opus, wideband and narrowband). */
function audioParams(): BinaryNode[] {
  return [
    { tag: 'audio', attrs: { enc: 'opus', rate: '16000' } },
    { tag: 'audio', attrs: { enc: 'opus', rate: '8000' } },
    { tag: 'net', attrs: { medium: '3' } },
    { tag: 'encopt', attrs: { keygen: '2' } },
  ];
}

const step = (to: string, tag: string, callId: string, creator: string, content?: BinaryNode[], attrs: Record<string, string> = {}): BinaryNode => ({
  tag: 'call',
  attrs: { to },
  content: [{ tag, attrs: { 'call-id': callId, 'call-creator': creator, ...attrs }, ...(content ? { content } : {}) }],
});

/** Answers an incoming call (to its creator). */
export const acceptNode = (callId: string, creator: string) => step(creator, 'accept', callId, creator, audioParams());

/** Tells the caller this device rings (sent when an offer arrives). */
export const preacceptNode = (callId: string, creator: string) => step(creator, 'preaccept', callId, creator, audioParams());

/** Ends a call, ours or the peer's, connected or still ringing. */
export const terminateNode = (peer: string, callId: string, creator: string) => step(peer, 'terminate', callId, creator);

/**
 * Offers a call to `peer`: the call key is in `destination`, one `<to jid><enc/></to>` per device
 * of the peer (and of our own other devices), and the device identity when a pkmsg starts a session.
 */
export function offerNode(peer: string, callId: string, creator: string, destination: BinaryNode[], deviceIdentity: BinaryNode | undefined, video: boolean): BinaryNode {
  const content = [...audioParams()];
  if (video) content.push({ tag: 'video', attrs: { enc: 'vp8', dec: 'vp8' } });
  content.push({ tag: 'destination', attrs: {}, content: destination });
  if (deviceIdentity) content.push(deviceIdentity);
  return step(peer, 'offer', callId, creator, content);
}

/** WaGo's SDP for the emulator's media leg, in a `<transport>` step (WhatsApp itself never reads it). */
export const webrtcTransportNode = (peer: string, callId: string, creator: string, type: 'offer' | 'answer', sdp: string) =>
  step(peer, 'transport', callId, creator, [{ tag: 'webrtc', attrs: { type }, content: Buffer.from(sdp, 'utf8') }]);
