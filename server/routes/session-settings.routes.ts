import { z } from 'zod';
import { defineRoute } from '../http/route';
import { getSessionSettings, toSettingsView, updateSessionSettings } from '../services/session-settings.service';

const settingsView = z
  .object({
    RejectCalls: z.boolean().describe('Incoming calls are rejected as they ring'),
    RejectCallMessage: z.string().nullable().describe('Text sent to the caller after a call was rejected (null: none)'),
    IgnoreGroups: z.boolean().describe('Group messages are neither stored nor sent as events or webhooks'),
    IgnoreStatus: z.boolean().describe('Status posts (status@broadcast) are neither stored nor sent as events or webhooks'),
    AlwaysOnline: z.boolean().describe('The session shows as online ("available") from connection on'),
    ReadOnReceipt: z.boolean().describe('Incoming messages are marked read (blue ticks) as they arrive'),
  })
  .meta({ id: 'SessionSettings' });

const TAG = 'Sessions';

export const sessionSettingsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/session/settings',
    auth: 'session',
    tag: TAG,
    summary: "Read the session's behaviour settings.",
    description: 'WaGo extension. Call rejection, ignoring groups and status posts, always online, read on receipt.',
    extension: true,
    local: true,
    output: settingsView,
    handler: async ({ caller }) => toSettingsView(await getSessionSettings(caller.session.id)),
  }),
  defineRoute({
    method: 'POST',
    path: '/session/settings',
    auth: 'session',
    tag: TAG,
    summary: "Change the session's behaviour settings.",
    description:
      'WaGo extension. Send only the fields to change; the answer holds all of them. Applied at once to the running connection: `AlwaysOnline` sends the available (or, switched off, unavailable) presence now. An empty `RejectCallMessage` removes the message.',
    extension: true,
    input: z
      .object({
        RejectCalls: z.boolean().optional(),
        RejectCallMessage: z.string().max(4096, 'must be at most 4096 characters').nullable().optional(),
        IgnoreGroups: z.boolean().optional(),
        IgnoreStatus: z.boolean().optional(),
        AlwaysOnline: z.boolean().optional(),
        ReadOnReceipt: z.boolean().optional(),
      }),
    output: settingsView,
    handler: async ({ input, caller }) =>
      toSettingsView(
        await updateSessionSettings(caller.session.id, {
          rejectCalls: input.RejectCalls,
          rejectCallMessage: input.RejectCallMessage,
          ignoreGroups: input.IgnoreGroups,
          ignoreStatus: input.IgnoreStatus,
          alwaysOnline: input.AlwaysOnline,
          readOnReceipt: input.ReadOnReceipt,
        }),
      ),
  }),
];
