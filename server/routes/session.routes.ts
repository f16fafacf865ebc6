import { z } from 'zod';
import { defineRoute } from '../http/route';
import { badRequest } from '../http/errors';
import {
  connectSession,
  disconnectSession,
  getSessionQr,
  getSessionStatus,
  logoutSession,
  pairSession,
} from '../services/session-runtime.service';
import {
  createSession,
  deleteSession,
  findSessionIdByToken,
  listSessions,
  requireInScope,
  TOKEN_MIN_LENGTH,
} from '../services/session.service';

const sessionView = z
  .object({
    id: z.string(),
    name: z.string(),
    tokenPrefix: z.string(),
    os: z.string(),
    state: z.string(),
    connected: z.boolean(),
    loggedIn: z.boolean(),
    jid: z.string().nullable(),
    lid: z.string().nullable(),
    pushName: z.string().nullable(),
    lastError: z.string().nullable(),
    webhookUrl: z.string().nullable(),
    events: z.array(z.string()),
    ownerId: z.string().nullable(),
    createdAt: z.string(),
    loggedInAt: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const sessionStatus = z
  .object({
    Connected: z.boolean(),
    LoggedIn: z.boolean(),
    State: z.enum(['disconnected', 'connecting', 'qr', 'pairing', 'connected', 'logged_out', 'failed']),
    Jid: z.string().nullable(),
    Lid: z.string().nullable(),
    PushName: z.string().nullable(),
    LastError: z.string().nullable(),
    Events: z.array(z.string()),
  })
  .meta({ id: 'SessionStatus' });

export const sessionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/session/init',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'Create a local WaGo token row for a user.',
    description:
      'Creates a session. Without `Token` a strong random token is generated. The token is returned once, in this answer only; WaGo stores its SHA-256 hash. With an account API key as `admintoken`, the session belongs to that account.',
    input: z.object({
      Name: z.string().max(100).optional().describe('Display name of the session'),
      Token: z
        .string()
        .min(TOKEN_MIN_LENGTH, `must be at least ${TOKEN_MIN_LENGTH} characters`)
        .max(256)
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
        .optional()
        .describe('Session token to use; generated when absent'),
      Os: z.string().max(50).optional().describe('Device name shown in WhatsApp "Linked devices"'),
    }),
    output: z.object({ token: z.string(), session: sessionView }),
    tenantScoped: true,
    auditTarget: ({ data }) => ({ sessionId: (data as { session: { id: string } }).session.id }),
    handler: async ({ input, caller }) => {
      const { session, token } = await createSession({ name: input.Name, token: input.Token, os: input.Os, ownerId: caller.tenantId });
      return { token, session };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/session/all',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'List stored sessions for admins.',
    description: 'Every session with the admin token; only its own sessions with an account API key.',
    output: z.array(sessionView),
    tenantScoped: true,
    handler: async ({ caller }) => listSessions({ ownerId: caller.tenantId ?? undefined }),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/delete',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'Delete a token and its local session data.',
    description:
      'Deletes one session and everything stored for it. Name the session with the `token` header (its session token) or with `Id` in the body. An account API key deletes only its own sessions (another one answers 404).',
    input: z.object({
      Id: z.uuid('must be a session id (UUID)').optional().describe('Session id (alternative to the token header)'),
    }),
    output: z.object({ deleted: z.string() }),
    tenantScoped: true,
    auditTarget: ({ data }) => ({ sessionId: (data as { deleted: string }).deleted }),
    handler: async ({ input, headers, caller }) => {
      const header = headers.token;
      const token = typeof header === 'string' && header !== '' ? header : undefined;
      if (!input.Id && !token) throw badRequest('Id is required (or send the session token in the token header)');
      const id = input.Id ?? (await findSessionIdByToken(token as string));
      await requireInScope(id, caller.tenantId);
      await deleteSession(id);
      return { deleted: id };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/session/connect',
    audit: true,
    auth: 'session',
    tag: 'Sessions',
    summary: 'Start or restore the WhatsApp client for a token.',
    description:
      'Connects the session. A linked session logs in with its stored keys; a new one starts linking (then GET /session/qr, or use /session/pair). Unless `Immediate` is true, answers once the outcome is known (connected, QR ready, failed) or after 25 s.',
    input: z.object({
      Subscribe: z.string().max(1000).optional().describe('Event types to deliver: "All" or comma-separated names (Message,ReadReceipt,…)'),
      Immediate: z.boolean().optional().describe('Answer at once instead of waiting for the connection outcome'),
    }),
    output: sessionStatus,
    handler: async ({ input, caller }) => connectSession(caller.session.id, { subscribe: input.Subscribe, immediate: input.Immediate }),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/disconnect',
    audit: true,
    auth: 'session',
    tag: 'Sessions',
    summary: 'Disconnect the active client without unlinking WhatsApp.',
    output: sessionStatus,
    handler: async ({ caller }) => disconnectSession(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/logout',
    audit: true,
    auth: 'session',
    tag: 'Sessions',
    summary: 'Log out the linked WhatsApp device.',
    description: 'Unlinks the device at WhatsApp and deletes its credentials and keys. Linking again needs a new QR or pairing code.',
    output: sessionStatus,
    handler: async ({ caller }) => logoutSession(caller.session.id),
  }),
  defineRoute({
    method: 'GET',
    path: '/session/status',
    auth: 'session',
    tag: 'Sessions',
    summary: 'Return connection and login state.',
    output: sessionStatus,
    handler: async ({ caller }) => getSessionStatus(caller.session.id),
  }),
  defineRoute({
    method: 'GET',
    path: '/session/qr',
    auth: 'session',
    tag: 'Sessions',
    summary: 'Return the current QR code for device linking.',
    description: 'The QR as text (`Code`) and as a PNG data URL (`QRCode`), with its expiry. 409 when the session is already logged in or not linking.',
    output: z.object({ QRCode: z.string(), Code: z.string(), ExpiresAt: z.string() }),
    handler: async ({ caller }) => getSessionQr(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/pair',
    audit: true,
    auth: 'session',
    tag: 'Sessions',
    summary: 'Connect with WhatsApp pair-code flow.',
    description: 'Starts linking by phone number: answers the 8-character code to enter on the phone (Linked devices → Link with phone number).',
    input: z.object({ Phone: z.string().max(32).optional().describe('Phone number in international format, digits only') }),
    output: z.object({ LinkingCode: z.string(), Phone: z.string() }),
    handler: async ({ input, caller }) => pairSession(caller.session.id, input.Phone),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/scanned',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'List tokens that have completed scan/login.',
    output: z.array(sessionView),
    tenantScoped: true,
    handler: async ({ caller }) => listSessions({ loggedIn: true, ownerId: caller.tenantId ?? undefined }),
  }),
];
