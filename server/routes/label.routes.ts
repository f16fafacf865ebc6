import { z } from 'zod';
import { defineRoute } from '../http/route';
import { needs, phone } from './schemas';
import { editLabel, LABEL_COLORS, labelChat, labelMessage, unlabelChat, unlabelMessage } from '../services/labels/labels.service';

const TAG = 'Labels';
const APP_STATE = 'A WhatsApp Business app-state change, synced to the phone and the other linked devices, and stored with the session. 403 when this account is not a WhatsApp Business account; 404 when the label does not exist; 409 until the phone has shared its app-state key with this session (right after linking).';

const labelId = z.string().min(1, 'must not be empty').max(64).regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, dash and underscore').describe('Label id (WhatsApp numbers labels "1", "2", …)');
const messageId = z.string().min(1, 'must not be empty').max(128).regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, dot, dash and underscore').describe('Id of a message of the chat');
const chatJid = phone('Chat: phone number in international format, or a JID (user, LID, group)');

const labelAnswer = z
  .object({ Details: z.string(), LabelId: z.string(), Jid: z.string(), MessageId: z.string().nullable() })
  .meta({ id: 'LabelAnswer' });

const chatInput = needs(z.object({ Jid: chatJid.optional(), LabelId: labelId.optional() }), 'Jid', 'LabelId');
const messageInput = needs(z.object({ Jid: chatJid.optional(), LabelId: labelId.optional(), MessageId: messageId.optional() }), 'Jid', 'LabelId', 'MessageId');

export const labelRoutes = [
  defineRoute({
    method: 'POST',
    path: '/label/chat',
    auth: 'session',
    tag: TAG,
    summary: 'Chat label.',
    description: `Puts the label on the chat. ${APP_STATE}`,
    input: chatInput,
    output: labelAnswer,
    handler: async ({ input, caller }) => labelChat(caller.session.id, input.Jid, input.LabelId),
  }),
  defineRoute({
    method: 'POST',
    path: '/label/message',
    auth: 'session',
    tag: TAG,
    summary: 'Message label.',
    description: `Puts the label on one message of the chat. ${APP_STATE}`,
    input: messageInput,
    output: labelAnswer,
    handler: async ({ input, caller }) => labelMessage(caller.session.id, input.Jid, input.LabelId, input.MessageId),
  }),
  defineRoute({
    method: 'POST',
    path: '/label/edit',
    auth: 'session',
    tag: TAG,
    summary: 'Edit label.',
    description:
      'Creates a label (a new `LabelId` needs `Name`), renames or recolours it (fields left out keep their value), or deletes it (`Action: true`). A WhatsApp Business app-state change (label_edit), synced to the phone and stored with the session. 403 when this account is not a WhatsApp Business account; 404 when deleting a label that does not exist.',
    input: needs(
      z.object({
        LabelId: labelId.optional(),
        Name: z.string().trim().min(1, 'must not be empty').max(100).optional().describe('Label name (required to create)'),
        Color: z.number().int('must be a whole number').min(0).max(LABEL_COLORS - 1).optional().describe(`Colour index 0-${LABEL_COLORS - 1} of WhatsApp's palette (default 0)`),
        Action: z.boolean().optional().describe('true deletes the label'),
      }),
      'LabelId',
    ),
    output: z.object({ Details: z.string(), LabelId: z.string(), Name: z.string().nullable(), Color: z.number().nullable(), Deleted: z.boolean() }).meta({ id: 'LabelEditAnswer' }),
    handler: async ({ input, caller }) => editLabel(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/unlabel/chat',
    auth: 'session',
    tag: TAG,
    summary: 'Chat unlabel.',
    description: `Takes the label off the chat. ${APP_STATE}`,
    input: chatInput,
    output: labelAnswer,
    handler: async ({ input, caller }) => unlabelChat(caller.session.id, input.Jid, input.LabelId),
  }),
  defineRoute({
    method: 'POST',
    path: '/unlabel/message',
    auth: 'session',
    tag: TAG,
    summary: 'Message unlabel.',
    description: `Takes the label off one message of the chat. ${APP_STATE}`,
    input: messageInput,
    output: labelAnswer,
    handler: async ({ input, caller }) => unlabelMessage(caller.session.id, input.Jid, input.LabelId, input.MessageId),
  }),
];
