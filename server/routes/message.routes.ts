import { z } from 'zod';
import { defineRoute } from '../http/route';
import { phone, sendAnswer } from './schemas';
import { getMessageStatus } from '../services/message-status.service';
import { chatPresence, deleteForEveryone, editMessage, markRead, PRESENCE_MEDIA, PRESENCE_STATES, react } from '../services/messaging/message-actions.service';

/** One of fixed string values; a missing value still reads "<field> is required". */
const oneOf = <T extends readonly [string, ...string[]]>(values: T, what = `one of ${values.join(', ')}`) =>
  z.string().pipe(z.enum(values, { error: `must be ${what}` }));

const TAG = 'Messages';

/** A WhatsApp message id that names an existing message. */
const targetId = (description: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits, dot, colon, dash and underscore')
    .describe(description);

const chat = (description = 'Chat: phone number in international format, or a JID (user, group, LID)') => phone(description);

export const messageRoutes = [
  defineRoute({
    method: 'POST',
    path: '/message/status',
    auth: 'session',
    tag: 'Messages',
    summary: 'Get message status.',
    description: 'The stored status of a message (sent, delivered, read, played; received for incoming ones) with its history.',
    local: true,
    input: z.object({ Id: z.string().min(1).max(128).describe('WhatsApp message id') }),
    output: z.object({
      Id: z.string(),
      Chat: z.string(),
      FromMe: z.boolean(),
      Status: z.string(),
      Timestamp: z.number(),
      History: z.array(z.object({ Status: z.string(), Participant: z.string().nullable(), At: z.string() })),
    }),
    handler: async ({ input, caller }) => getMessageStatus(caller.session.id, input.Id),
  }),
  defineRoute({
    method: 'POST',
    path: '/message/react',
    auth: 'session',
    tag: TAG,
    summary: 'React.',
    description: 'Reacts to a message with an emoji (`Body`); an empty `Body` removes the reaction. `IsFromMe` says whether the message was sent by this session. Answers the id of the reaction message.',
    input: z.object({
      Phone: phone('Chat of the message: phone number in international format, or a JID'),
      Body: z.string().max(64, 'must be one emoji (at most 64 characters)').describe('The emoji; "" removes the reaction'),
      Id: targetId('Id of the message to react to'),
      IsFromMe: z.boolean().describe('Whether that message was sent by this session'),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => react(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/message/presence',
    auth: 'session',
    tag: TAG,
    summary: 'Chat presence.',
    description: 'Shows a chat state to a contact: `composing` (typing; with `Media` "audio": recording a voice note), `recording`, `paused` (stopped), or `available`/`unavailable`.',
    input: z.object({
      Phone: phone(),
      State: oneOf(PRESENCE_STATES).describe(`Chat state: ${PRESENCE_STATES.join(', ')}`),
      Media: oneOf(PRESENCE_MEDIA, '"", "text" or "audio"').optional().describe('"audio" turns composing into recording'),
    }),
    output: z.object({ Details: z.string(), Jid: z.string(), State: z.string() }),
    handler: async ({ input, caller }) => chatPresence(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/message/markread',
    auth: 'session',
    tag: TAG,
    summary: 'Mark read.',
    description: 'Sends read receipts for messages of a chat. `Id` is one message id, an array of ids, or an object whose values are ids. In groups, `Sender` names who sent them (else the message store is asked).',
    input: z.object({
      Id: z
        .union([targetId('Message id'), z.array(targetId('Message id')).min(1, 'must name at least one message id').max(1000), z.record(z.string(), targetId('Message id'))], {
          error: (issue) => `${issue.input === undefined ? 'is required: ' : 'must be '}a message id, an array of message ids or an object of message ids`,
        })
        .describe('Message id(s) to mark as read'),
      Chat: chat(),
      Sender: phone('Sender of the messages (groups): phone number or JID').optional(),
    }),
    output: z.object({ Details: z.string(), Chat: z.string(), Ids: z.array(z.string()) }),
    handler: async ({ input, caller }) => markRead(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/message/delete',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Delete message everyone.',
    description: "Deletes a message for everyone (revoke). In 1:1 chats only this session's own messages; in groups also others' when this session is an admin.",
    input: z.object({ Chat: chat(), MessageID: targetId('Id of the message to delete') }),
    output: sendAnswer,
    handler: async ({ input, caller }) => deleteForEveryone(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/message/edit',
    auth: 'session',
    tag: TAG,
    summary: 'Edit message.',
    description: 'Replaces the text of a message this session sent. Answers the id of the edit (protocol) message.',
    input: z.object({
      Chat: chat(),
      Message: z.string().min(1, 'must not be empty').max(65_536).describe('New text'),
      MessageID: targetId('Id of the message to edit'),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => editMessage(caller.session.id, input),
  }),
];
