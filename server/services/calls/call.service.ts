import { randomBytes } from 'node:crypto';
import { encodeSignedDeviceIdentity, isJidGroup, isJidNewsletter, isJidBroadcast, type BinaryNode, type WASocket } from 'baileys';
import { ApiError, badRequest, conflict, notFound } from '../../http/errors';
import { getRuntime } from '../../runtime/registry';
import { callRepository } from '../../repositories/call.repository';
import { mediaLegFor, type MediaLeg } from '../../calls/media-leg';
import { isOpenCall, peerAddress, type CallBook, type TrackedCall } from '../../whatsapp/calls/call-book';
import { acceptNode, offerNode, terminateNode } from '../../whatsapp/calls/call-nodes';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { connectedSession, recipient } from '../messaging/outgoing';
import { callView, type CallView } from './call-view';
import { callFolders } from '../../calls/call-folders';
import { fileToRead } from '../../calls/media-paths';

/**
 * Call signalling through the REST API: status, answer, reject, hang up and place calls. The
 * stanzas are WhatsApp's (see whatsapp/calls/call-nodes.ts); the audio path is the media leg's
 * (see calls/media-leg.ts), and no call is answered or placed where no audio path exists.
 */

const leg = (): MediaLeg => mediaLegFor(getRuntime().config);

export interface CallAnswer {
  Details: string;
  Call: CallView;
}

/** Refuses calls where the media leg can carry no audio (real WhatsApp): 501 with the reason. */
function needAudioPath(): void {
  const reason = leg().unavailable;
  if (reason) throw new ApiError(501, reason);
}

/**
 * Group calls are tracked (their group in `GroupJid`), rejected and hung up, never answered: a group
 * call's audio comes from every member at once through WhatsApp's group relays, and WaGo's media
 * legs carry one other party only.
 */
export const GROUP_CALL_UNSUPPORTED =
  'CallID: this is a group call; WaGo does not answer group calls (their audio is every member\'s at once, and WaGo carries one-to-one call audio only): reject it or let it ring';

/** An open call of the session (404 unknown, 409 already over). */
async function openCall(book: CallBook, callId: string): Promise<TrackedCall> {
  const call = book.get(callId) ?? (await book.find(callId));
  if (!call) throw notFound(`CallID: no call ${callId} in this session`);
  if (!isOpenCall(call.state)) throw conflict(`CallID: the call is over (${call.state}${call.endReason ? `: ${call.endReason}` : ''})`);
  return call;
}


const answer = (details: string, call: TrackedCall): CallAnswer => ({ Details: details, Call: callView(call, leg()) });

/** One call (from memory, else from the call history), or every open call of the session. */
export async function callStatus(sessionId: string, callId?: string): Promise<CallView | { Calls: CallView[] }> {
  const book = getRuntime().sessions.get(sessionId)?.calls;
  if (callId === undefined) return { Calls: (book?.active() ?? []).map((c) => callView(c, leg())) };
  const call = (await book?.find(callId)) ?? (await callRepository.find(sessionId, callId));
  if (!call) throw notFound(`callID: no call ${callId} in this session`);
  return callView(call, leg());
}

export async function answerCall(sessionId: string, callId: string): Promise<CallAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const call = await openCall(runner.calls, callId);
  if (call.direction !== 'incoming') throw conflict('CallID: this session placed the call; only incoming calls are answered');
  if (call.state !== 'ringing') throw conflict(`CallID: the call is ${call.state}, not ringing`);
  if (call.isGroup) throw new ApiError(501, GROUP_CALL_UNSUPPORTED);
  needAudioPath();
  await sock.query(acceptNode(call.callId, call.creator));
  return answer('Call answered', await runner.calls.transition(call, 'accepted', 'gateway', 'accept'));
}

export async function rejectCall(sessionId: string, callId: string): Promise<CallAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const call = await openCall(runner.calls, callId);
  if (call.direction !== 'incoming' || call.state !== 'ringing') throw conflict(`CallID: only a ringing incoming call can be rejected (this one is ${call.direction}, ${call.state}); hang it up instead`);
  await sock.rejectCall(call.callId, call.creator);
  return answer('Call rejected', await runner.calls.transition(call, 'rejected', 'gateway', 'reject', { reason: 'rejected by this session' }));
}

/** Ends a call in any open state: a ringing incoming call is rejected, any other is terminated. */
export async function hangupCall(sessionId: string, callId: string): Promise<CallAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const call = await openCall(runner.calls, callId);
  if (call.direction === 'incoming' && call.state === 'ringing') {
    await sock.rejectCall(call.callId, call.creator);
    return answer('Call rejected', await runner.calls.transition(call, 'rejected', 'gateway', 'reject', { reason: 'rejected by this session' }));
  }
  await sock.query(terminateNode(peerAddress(call), call.callId, call.creator));
  return answer('Call ended', await runner.calls.transition(call, 'ended', 'gateway', 'terminate', { reason: 'hung up by this session' }));
}

/** The offer's `<destination>`: the call key, Signal-encrypted for each device of the peer. */
async function callKeyDestination(sock: WASocket, peer: string): Promise<{ nodes: BinaryNode[]; identity?: BinaryNode }> {
  const devices = (await sock.getUSyncDevices([peer], true, false)).map((d) => d.jid);
  if (!devices.length) throw badRequest('CallTo: WhatsApp knows no device of this user');
  await sock.assertSessions(devices);
  const callKey = randomBytes(32);
  const { nodes, shouldIncludeDeviceIdentity } = await sock.createParticipantNodes(devices, { call: { callKey } });
  const account = sock.authState.creds.account;
  const identity = shouldIncludeDeviceIdentity && account ? { tag: 'device-identity', attrs: {}, content: encodeSignedDeviceIdentity(account, true) } : undefined;
  return { nodes, identity };
}

export async function makeCall(sessionId: string, to: string, audioFile?: string): Promise<CallAnswer> {
  const peer = recipient(to, 'CallTo');
  if (isJidGroup(peer) || isJidNewsletter(peer) || isJidBroadcast(peer)) throw badRequest('CallTo: must be a user (a phone number or a user JID), not a group, newsletter or broadcast');
  const file = audioFile === undefined ? undefined : await fileToRead(callFolders(getRuntime().config).media, audioFile, 'AudioFile');
  const { runner, sock } = connectedSession(sessionId);
  needAudioPath();
  const me = sock.authState.creds.me;
  if (!me?.id) throw conflict('session is not logged in');
  const creator = me.id;
  const callId = randomBytes(16).toString('hex').toUpperCase();
  const { nodes, identity } = await callKeyDestination(sock, peer);
  const lid = peer.endsWith('@s.whatsapp.net') ? await lidResolverOf(sock).getLIDForPN(peer) : null;
  const peerRef = peer.endsWith('@lid') ? { jid: await lidResolverOf(sock).getPNForLID(peer), lid: peer } : { jid: peer, lid };
  const call = await runner.calls.track(
    { callId, creator, peerJid: peerRef.jid, peerLid: peerRef.lid, direction: 'outgoing', isVideo: false, isGroup: false, groupJid: null, startedAt: new Date() },
    'calling',
    'gateway',
    'offer',
    { peer: peerRef, caller: { jid: creator, lid: me.lid ?? null } },
  );
  if (file) runner.media.playWhenConnected(callId, file);
  try {
    await sock.query(offerNode(peer, callId, creator, nodes, identity, false));
  } catch (error) {
    await runner.calls.transition(call, 'ended', 'gateway', 'offer', { reason: 'WhatsApp did not take the offer' });
    throw error;
  }
  return answer('Calling', call);
}
