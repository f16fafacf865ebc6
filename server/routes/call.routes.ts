import { z } from 'zod';
import { defineRoute } from '../http/route';
import { phone } from './schemas';
import { answerCall, callStatus, hangupCall, makeCall, rejectCall } from '../services/calls/call.service';

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
    description: `Sends WhatsApp's accept for a ringing incoming call. 404 unknown call, 409 one that is not ringing (already answered, over, or placed by this session). ${NO_AUDIO}`,
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
    description: `Offers an audio call to \`CallTo\`: the call key is Signal-encrypted for each of the peer's devices. The call is \`calling\`, then \`ringing\` when the peer's phone rings and \`accepted\` when it answers (\`Call\` events). \`AudioFile\` (a file to play once answered) is not available yet: 501. ${NO_AUDIO}`,
    input: z.object({
      CallTo: phone('Who to call: phone number in international format, or a user JID (phone number or LID)'),
      AudioFile: z.string().min(1, 'must not be empty').max(1024).optional().describe('A file to play into the call once answered (not available yet)'),
    }),
    output: callAnswer,
    handler: async ({ input, caller }) => makeCall(caller.session.id, input.CallTo, input.AudioFile),
  }),
];
