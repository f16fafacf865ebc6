import { badRequest, conflict } from '../../http/errors';
import { getRuntime } from '../../runtime/registry';
import { iceServers, type IceServer } from '../../calls/ice-servers';
import { callHub, callRunner } from './call-audio.service';

/**
 * The browser's live audio in a call (the dashboard's call console): WebRTC between the browser
 * and WaGo, attached to the call's media hub. Closing it leaves the call up.
 */

export interface WebRtcConfig {
  iceServers: IceServer[];
  /** Whether a TURN server is configured (browsers behind strict NATs need one). */
  turn: boolean;
}

export function webRtcConfig(): WebRtcConfig {
  const servers = iceServers(getRuntime().config);
  return { iceServers: servers, turn: servers.some((s) => s.urls.some((u) => u.startsWith('turn'))) };
}

export async function browserOffer(sessionId: string, callId: string, sdp: string, type?: string): Promise<{ callID: string; type: 'answer'; sdp: string }> {
  if (type !== undefined && type !== 'offer') throw badRequest('type: must be "offer" (the browser offers, WaGo answers)');
  if (!/^v=0\r?\n/.test(sdp)) throw badRequest('sdp: must be an SDP offer (starting with v=0)');
  const runner = callRunner(sessionId);
  const hub = await callHub(runner, callId, 'callID');
  const answer = await runner.media.attachBrowser(callId, hub, sdp, iceServers(getRuntime().config));
  return { callID: callId, type: 'answer', sdp: answer };
}

export async function browserClose(sessionId: string, callId: string): Promise<{ Details: string; callID: string }> {
  const runner = callRunner(sessionId);
  if (!(await runner.media.detachBrowser(callId))) {
    await callHub(runner, callId, 'callID'); // 404 / 409 for an unknown or unanswered call first
    throw conflict('callID: no browser is attached to this call');
  }
  return { Details: 'Browser audio closed; the call goes on', callID: callId };
}
