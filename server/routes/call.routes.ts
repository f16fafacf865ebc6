import { z } from 'zod';
import { defineRoute } from '../http/route';
import { phone } from './schemas';
import { answerCall, callStatus, hangupCall, makeCall, rejectCall } from '../services/calls/call.service';
import { controlPlayback, playIntoCall, startRecording, stopRecording } from '../services/calls/call-audio.service';
import { browserClose, browserOffer, webRtcConfig } from '../services/calls/call-webrtc.service';

const TAG = 'Calls';
const NO_AUDIO = 'Against the real WhatsApp, which has no media leg in WaGo, it answers 501 and sends nothing.';

const callId = (field = 'CallID') =>
  z.string().min(1, 'must not be empty').max(128).regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits, dot, colon, dash and underscore').describe(`${field}: WhatsApp's call id`);

const callView = z
  .object({
    CallID: z.string(),
    Direction: z.enum(['incoming', 'outgoing']),
    Peer: z.object({ Jid: z.string().nullable(), Lid: z.string().nullable() }).describe('The other party'),
    Creator: z.string().describe("The call's creator (the caller's JID)"),
    Video: z.boolean(),
    Group: z.boolean(),
    GroupJid: z.string().nullable(),
    State: z.string().describe('calling, ringing, accepted, connected, rejected, missed or ended'),
    History: z.array(z.object({ State: z.string(), At: z.string(), By: z.string().describe('peer, gateway, whatsapp or other-device') })),
    StartedAt: z.string(),
    EndedAt: z.string().nullable(),
    EndReason: z.string().nullable(),
    MediaLeg: z.string().describe('emulator-webrtc, or none (real WhatsApp: no audio path)'),
  })
  .meta({ id: 'Call' });
const callAnswer = z.object({ Details: z.string(), Call: callView }).meta({ id: 'CallAnswer' });
const byId = z.object({ CallID: callId() });
const playbackAnswer = z.object({ Details: z.string(), CallID: z.string(), AudioFile: z.string().nullable(), State: z.string().describe('playing, paused, finished, stopped or failed') }).meta({ id: 'CallPlayback' });
const recordingAnswer = z
  .object({
    Details: z.string(),
    CallID: z.string(),
    Path: z.string().describe("Relative to the session's recordings folder"),
    Recording: z.boolean(),
    Bytes: z.number().optional(),
    DurationMs: z.number().optional(),
  })
  .meta({ id: 'CallRecording' });

const playback = (path: string, summary: string, action: 'pause' | 'resume' | 'stop', description: string) =>
  defineRoute({
    method: 'POST',
    path,
    auth: 'session',
    tag: TAG,
    summary,
    description: `${description} 404 unknown call.`,
    input: byId,
    output: playbackAnswer,
    handler: async ({ input, caller }) => controlPlayback(caller.session.id, input.CallID, action),
  });

export const callRoutes = [
  defineRoute({
    method: 'GET',
    path: '/call/status',
    auth: 'session',
    tag: TAG,
    summary: 'Call status.',
    description: 'With `callID`, one call of the session (open, or from the call history: 404 when unknown). Without it, `{Calls: [...]}`: every open call.',
    input: z.object({ callID: callId('callID').optional() }),
    output: z.union([callView, z.object({ Calls: z.array(callView) })]),
    handler: async ({ input, caller }) => callStatus(caller.session.id, input.callID),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/answer',
    auth: 'session',
    tag: TAG,
    summary: 'Answer a call.',
    description: `Sends WhatsApp's accept for a ringing incoming call. 404 unknown call, 409 one that is not ringing (already answered — also on another of the account's devices —, over, or placed by this session). A group call (\`Group: true\`) answers 501: WaGo does not take group calls (reject it or let it ring). ${NO_AUDIO}`,
    input: byId,
    output: callAnswer,
    handler: async ({ input, caller }) => answerCall(caller.session.id, input.CallID),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/reject',
    auth: 'session',
    tag: TAG,
    summary: 'Reject a call.',
    description: "Rejects a ringing incoming call through WhatsApp (the caller sees it declined). 404 unknown call, 409 one that is not ringing.",
    input: byId,
    output: callAnswer,
    handler: async ({ input, caller }) => rejectCall(caller.session.id, input.CallID),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/hangup',
    auth: 'session',
    tag: TAG,
    summary: 'Hang up a call.',
    description: "Ends an open call: WhatsApp's terminate, or a reject for an incoming call still ringing. 404 unknown call, 409 one already over.",
    input: byId,
    output: callAnswer,
    handler: async ({ input, caller }) => hangupCall(caller.session.id, input.CallID),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/make',
    auth: 'session',
    tag: TAG,
    summary: 'Place an audio call.',
    description: `Offers an audio call to \`CallTo\`: the call key is Signal-encrypted for each of the peer's devices. The call is \`calling\`, then \`ringing\` when the peer's phone rings, \`accepted\` when it answers and \`connected\` once audio flows (\`Call\` events). \`AudioFile\` (relative to WAGO_CALL_MEDIA_DIR, confined to it like /call/play's) plays once the call is connected. ${NO_AUDIO}`,
    input: z.object({
      CallTo: phone('Who to call: phone number in international format, or a user JID (phone number or LID)'),
      AudioFile: z.string().min(1, 'must not be empty').max(1024).optional().describe('A file to play into the call once connected, relative to WAGO_CALL_MEDIA_DIR'),
    }),
    output: callAnswer,
    handler: async ({ input, caller }) => makeCall(caller.session.id, input.CallTo, input.AudioFile),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/play',
    auth: 'session',
    tag: TAG,
    summary: 'Play a file into a call.',
    description: `Plays a server-side audio file (WAV, MP3, Ogg/Opus… anything ffmpeg reads) into an answered call, in place of any file playing. \`AudioFile\` is relative to WAGO_CALL_MEDIA_DIR; a path that leads out of it (\`..\`, an absolute path, a symbolic link) is refused with 400. 404 unknown call, 409 a call not answered or over. ${NO_AUDIO}`,
    input: z.object({ CallID: callId(), AudioFile: z.string().min(1, 'must not be empty').max(1024).describe('File to play, relative to WAGO_CALL_MEDIA_DIR') }),
    output: playbackAnswer,
    handler: async ({ input, caller }) => playIntoCall(caller.session.id, input.CallID, input.AudioFile),
  }),
  playback('/call/play/pause', 'Pause playback.', 'pause', 'Pauses the file playing into the call (it keeps its place). 409 when nothing plays.'),
  playback('/call/play/resume', 'Resume playback.', 'resume', 'Resumes a paused playback. 409 when it is not paused.'),
  playback('/call/play/stop', 'Stop playback.', 'stop', 'Stops the file playing into the call. 409 when nothing plays.'),
  defineRoute({
    method: 'POST',
    path: '/call/record',
    auth: 'session',
    tag: TAG,
    summary: 'Record a call.',
    description: `Records both directions of an answered call to a WAV file (48 kHz mono, 16-bit) in the session's folder of WAGO_CALL_RECORDINGS_DIR. \`Path\` (relative, ending in .wav; default \`<CallID>-<time>.wav\`) must not exist yet; one that leads out of the folder is refused with 400 and nothing is created. The file is finished (a valid header) by /call/record/stop or when the call ends. ${NO_AUDIO}`,
    input: z.object({ CallID: callId(), Path: z.string().min(1, 'must not be empty').max(1024).optional().describe("WAV file to write, relative to the session's recordings folder") }),
    output: recordingAnswer,
    handler: async ({ input, caller }) => startRecording(caller.session.id, input.CallID, input.Path),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/record/stop',
    auth: 'session',
    tag: TAG,
    summary: 'Stop recording.',
    description: "Finishes the call's recording (a valid WAV header) and answers its path, size and duration; after the call ended, the recording its end finished. 409 when the call is not being recorded.",
    input: byId,
    output: recordingAnswer,
    handler: async ({ input, caller }) => stopRecording(caller.session.id, input.CallID),
  }),
  defineRoute({
    method: 'GET',
    path: '/call/webrtc/config',
    auth: 'session',
    tag: TAG,
    summary: 'WebRTC configuration.',
    description: "The STUN and TURN servers the browser's call audio uses (WAGO_CALL_STUN_URLS, WAGO_CALL_TURN_URLS and credentials; none by default: browser and WaGo on one network), and whether a TURN server is configured.",
    output: z.object({ iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })), turn: z.boolean() }),
    handler: async () => webRtcConfig(),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/webrtc/offer',
    auth: 'session',
    tag: TAG,
    summary: "Attach the browser's audio.",
    description: `Takes the browser's SDP offer and answers WaGo's: the browser's microphone goes into the call (mixed with a file playing), the call comes back to its speaker. One browser per call (a new offer replaces the one before). 404 unknown call, 409 a call not answered or over. ${NO_AUDIO}`,
    input: z.object({
      callID: callId('callID'),
      sdp: z.string().min(1, 'must not be empty').max(65_536).describe("The browser's SDP offer"),
      type: z.string().optional().describe('"offer" (the only value)'),
    }),
    output: z.object({ callID: z.string(), type: z.literal('answer'), sdp: z.string() }),
    handler: async ({ input, caller }) => browserOffer(caller.session.id, input.callID, input.sdp, input.type),
  }),
  defineRoute({
    method: 'POST',
    path: '/call/webrtc/close',
    auth: 'session',
    tag: TAG,
    summary: "Detach the browser's audio.",
    description: "Closes the browser's live audio without hanging up: the call goes on. 409 when no browser is attached.",
    input: z.object({ callID: callId('callID') }),
    output: z.object({ Details: z.string(), callID: z.string() }),
    handler: async ({ input, caller }) => browserClose(caller.session.id, input.callID),
  }),
];
