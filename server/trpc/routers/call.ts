import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { answerCall, callStatus, hangupCall, rejectCall } from '../../services/calls/call.service';
import { callHistory } from '../../services/calls/call-history.service';
import { controlPlayback, playIntoCall, startRecording, stopRecording } from '../../services/calls/call-audio.service';
import { browserClose, browserOffer, webRtcConfig } from '../../services/calls/call-webrtc.service';
import type { CallView } from '../../services/calls/call-view';
import { listRecordings } from '../../services/calls/call-recordings.service';

const sessionId = z.object({ sessionId: z.string() });
const oneCall = sessionId.extend({
  callId: z.string().min(1, 'must not be empty').max(128).regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits, dot, colon, dash and underscore'),
});

/**
 * The dashboard's call console, over the same services as the /call REST routes. Everything that
 * needs the session's socket or a call's media hub runs in the process that runs the session.
 */
export const callRouter = router({
  /** Every open call of the session. */
  active: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => callStatus(o.ctx.session.id) as Promise<{ Calls: CallView[] }>)),
  /** Stored: read here, whichever process runs the session. */
  history: sessionProcedure.input(sessionId).query(({ ctx }) => callHistory(ctx.session.id)),
  answer: sessionProcedure.input(oneCall).mutation((o) => onOwner(o, () => answerCall(o.ctx.session.id, o.input.callId))),
  reject: sessionProcedure.input(oneCall).mutation((o) => onOwner(o, () => rejectCall(o.ctx.session.id, o.input.callId))),
  hangup: sessionProcedure.input(oneCall).mutation((o) => onOwner(o, () => hangupCall(o.ctx.session.id, o.input.callId))),
  play: sessionProcedure
    .input(oneCall.extend({ audioFile: z.string().trim().min(1, 'must not be empty').max(1024) }))
    .mutation((o) => onOwner(o, () => playIntoCall(o.ctx.session.id, o.input.callId, o.input.audioFile))),
  playback: sessionProcedure
    .input(oneCall.extend({ action: z.enum(['pause', 'resume', 'stop']) }))
    .mutation((o) => onOwner(o, () => controlPlayback(o.ctx.session.id, o.input.callId, o.input.action))),
  record: sessionProcedure
    .input(oneCall.extend({ path: z.string().trim().min(1, 'must not be empty').max(1024).optional() }))
    .mutation((o) => onOwner(o, () => startRecording(o.ctx.session.id, o.input.callId, o.input.path))),
  recordStop: sessionProcedure.input(oneCall).mutation((o) => onOwner(o, () => stopRecording(o.ctx.session.id, o.input.callId))),
  webrtcConfig: sessionProcedure.input(sessionId).query((o) => onOwner(o, async () => webRtcConfig())),
  webrtcOffer: sessionProcedure
    .input(oneCall.extend({ sdp: z.string().min(1, 'must not be empty').max(65_536) }))
    .mutation((o) => onOwner(o, () => browserOffer(o.ctx.session.id, o.input.callId, o.input.sdp, 'offer'))),
  webrtcClose: sessionProcedure.input(oneCall).mutation((o) => onOwner(o, () => browserClose(o.ctx.session.id, o.input.callId))),
  /** The session's recordings (on the disk of the process that runs the session). */
  recordings: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => listRecordings(o.ctx.session.id))),
});
