import { z } from 'zod';
import { defineRoute } from '../http/route';
import { badRequest } from '../http/errors';
import {
  createSession,
  deleteSession,
  findSessionIdByToken,
  listSessions,
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

export const sessionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/session/init',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'Create a local WaGo token row for a user.',
    description:
      'Creates a session. Without `Token` a strong random token is generated. The token is returned once, in this answer only; WaGo stores its SHA-256 hash.',
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
    handler: async ({ input }) => {
      const { session, token } = await createSession({ name: input.Name, token: input.Token, os: input.Os });
      return { token, session };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/session/all',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'List stored sessions for admins.',
    output: z.array(sessionView),
    handler: async () => listSessions(),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/delete',
    auth: 'admin',
    tag: 'Sessions',
    summary: 'Delete a token and its local session data.',
    description:
      'Deletes one session and everything stored for it. Name the session with the `token` header (its session token) or with `Id` in the body.',
    input: z.object({
      Id: z.uuid('must be a session id (UUID)').optional().describe('Session id (alternative to the token header)'),
    }),
    output: z.object({ deleted: z.string() }),
    handler: async ({ input, headers }) => {
      const header = headers.token;
      const token = typeof header === 'string' && header !== '' ? header : undefined;
      if (!input.Id && !token) throw badRequest('Id is required (or send the session token in the token header)');
      const id = input.Id ?? (await findSessionIdByToken(token as string));
      await deleteSession(id);
      return { deleted: id };
    },
  }),
];
