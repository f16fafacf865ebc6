import { z } from 'zod';
import { defineRoute } from '../http/route';
import { phone } from './schemas';
import {
  archiveChat,
  deleteChat,
  DISAPPEARING_TIMERS,
  markChatRead,
  muteChat,
  pinChat,
  setChatState,
  setDisappearingTimer,
  type DisappearingTimer,
} from '../services/chat.service';

/** One of fixed string values; a missing value still reads "<field> is required". */
const oneOf = <T extends readonly [string, ...string[]]>(values: T, what = `one of ${values.join(', ')}`) =>
  z.string().pipe(z.enum(values, { error: `must be ${what}` }));

const TAG = 'Chats';
const chatAnswer = z.object({ Details: z.string(), Chat: z.string() }).meta({ id: 'ChatAnswer' });
const chatStateAnswer = z.object({ Details: z.string(), Jid: z.string(), State: z.string() }).meta({ id: 'ChatStateAnswer' });
const chatField = z.object({ Chat: phone('Chat: phone number in international format, or a JID (user, group, LID)') });
const jidField = z.object({ Jid: phone('Chat: phone number in international format, or a JID (user, group, LID)') });
const phoneField = z.object({ Phone: phone('Chat: phone number in international format, or a JID (user, group, LID)') });
const APP_STATE = 'An app-state change, synced to the phone and the other linked devices. 409 until the phone has shared its app-state key with this session (right after linking).';

const TIMERS = Object.keys(DISAPPEARING_TIMERS) as [DisappearingTimer, ...DisappearingTimer[]];

const chatState = (path: string, summary: string, state: 'composing' | 'recording' | 'paused', description: string) =>
  defineRoute({
    method: 'POST',
    path,
    auth: 'session',
    tag: TAG,
    summary,
    description,
    input: jidField,
    output: chatStateAnswer,
    handler: async ({ input, caller }) => setChatState(caller.session.id, input.Jid, state),
  });

export const chatRoutes = [
  defineRoute({
    method: 'POST',
    path: '/chat/pin',
    auth: 'session',
    tag: TAG,
    summary: 'Chat pin.',
    description: `Pins the chat. ${APP_STATE}`,
    input: chatField,
    output: chatAnswer,
    handler: async ({ input, caller }) => pinChat(caller.session.id, input.Chat, true),
  }),
  defineRoute({
    method: 'POST',
    path: '/chat/unpin',
    auth: 'session',
    tag: TAG,
    summary: 'Chat unpin.',
    description: `Unpins the chat. ${APP_STATE}`,
    input: chatField,
    output: chatAnswer,
    handler: async ({ input, caller }) => pinChat(caller.session.id, input.Chat, false),
  }),
  defineRoute({
    method: 'POST',
    path: '/chat/archive',
    auth: 'session',
    tag: TAG,
    summary: 'Chat archive.',
    description: `Archives the chat (\`Archive: false\` unarchives). ${APP_STATE}`,
    input: chatField.extend({ Archive: z.boolean().optional().describe('false unarchives (default true)') }),
    output: chatAnswer,
    handler: async ({ input, caller }) => archiveChat(caller.session.id, input.Chat, input.Archive ?? true),
  }),
  defineRoute({
    method: 'POST',
    path: '/chat/mute',
    auth: 'session',
    tag: TAG,
    summary: 'Chat mute.',
    description: `Mutes the chat: forever, or for \`Duration\` seconds; \`Duration: 0\` unmutes. ${APP_STATE}`,
    input: chatField.extend({
      Duration: z.number().int('must be a whole number of seconds').min(0).max(31_536_000).optional().describe('Seconds to mute (default: forever; 0 unmutes)'),
    }),
    output: chatAnswer,
    handler: async ({ input, caller }) => muteChat(caller.session.id, input.Chat, input.Duration),
  }),
  chatState('/chat/typing/start', 'Typing start.', 'composing', 'Shows "typing…" in the chat.'),
  chatState('/chat/typing/stop', 'Typing stop.', 'paused', 'Stops showing "typing…".'),
  defineRoute({
    method: 'POST',
    path: '/chat/delete',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Chat delete.',
    description: `Deletes the chat on this account's devices (not for the contact). ${APP_STATE}`,
    input: phoneField,
    output: chatAnswer,
    handler: async ({ input, caller }) => deleteChat(caller.session.id, input.Phone),
  }),
  defineRoute({
    method: 'POST',
    path: '/chat/read',
    auth: 'session',
    tag: TAG,
    summary: 'Chat read.',
    description: `Marks the whole chat as read. ${APP_STATE}`,
    input: phoneField,
    output: chatAnswer,
    handler: async ({ input, caller }) => markChatRead(caller.session.id, input.Phone, true),
  }),
  defineRoute({
    method: 'POST',
    path: '/chat/unread',
    auth: 'session',
    tag: TAG,
    summary: 'Chat unread.',
    description: `Marks the chat as unread. ${APP_STATE}`,
    input: phoneField,
    output: chatAnswer,
    handler: async ({ input, caller }) => markChatRead(caller.session.id, input.Phone, false),
  }),
  chatState('/chat/recording/start', 'Recording start.', 'recording', 'Shows "recording audio…" in the chat.'),
  chatState('/chat/recording/stop', 'Recording stop.', 'paused', 'Stops showing "recording audio…".'),
  defineRoute({
    method: 'POST',
    path: '/chat/disappearing-timer',
    auth: 'session',
    tag: TAG,
    summary: 'Disappear.',
    description: 'Sets the disappearing-messages timer of a chat: off, 24h, 7d or 90d (a group setting for groups; this session must be allowed to change it).',
    input: z.object({
      phone: phone('Chat: phone number in international format, or a JID (user, group, LID)'),
      timer: oneOf(TIMERS).describe('off, 24h, 7d or 90d'),
    }),
    output: z.object({ Details: z.string(), Chat: z.string(), Timer: z.string(), Seconds: z.number() }),
    handler: async ({ input, caller }) => setDisappearingTimer(caller.session.id, input.phone, input.timer),
  }),
];
