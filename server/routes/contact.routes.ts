import { z } from 'zod';
import { defineRoute } from '../http/route';
import { needs, phone } from './schemas';
import { addContact, removeContact } from '../services/users/contacts.service';
import { broadcastListParticipants } from '../services/users/broadcast.service';

const TAG = 'Contacts and broadcasts';
const APP_STATE = 'An app-state contact action the phone applies (409 until the phone shared its app-state key).';
const contactAnswer = z.object({ Details: z.string(), Jid: z.string(), Lid: z.string().nullable() }).meta({ id: 'ContactChangeAnswer' });
const name = (what: string) => z.string().max(100, 'must be at most 100 characters').optional().describe(what);

export const contactRoutes = [
  defineRoute({
    method: 'POST',
    path: '/contact/add',
    auth: 'session',
    tag: TAG,
    summary: 'Contact add.',
    description: `Saves (or edits) a contact in the phone's address book, with \`FullName\` and/or \`FirstName\`. ${APP_STATE}`,
    input: needs(
      z.object({
        Phone: phone('User: phone number, or a user JID').optional(),
        FirstName: name('First name'),
        FullName: name('Full name (FirstName when absent)'),
        SaveOnBook: z.boolean().optional().describe('Also save it in the phone\'s own address book (default true)'),
      }),
      'Phone',
    ),
    output: contactAnswer,
    handler: async ({ input, caller }) => addContact(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/contact/remove',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Contact remove.',
    description: `Removes a contact from the phone's address book (chats stay). ${APP_STATE}`,
    input: needs(z.object({ Phone: phone('User: phone number, or a user JID').optional() }), 'Phone'),
    output: contactAnswer,
    handler: async ({ input, caller }) => removeContact(caller.session.id, input.Phone),
  }),
  defineRoute({
    method: 'POST',
    path: '/broadcast/listparticipants',
    auth: 'session',
    tag: TAG,
    summary: 'Broadcast list participants.',
    description: 'The recipients of one of this account\'s broadcast lists (`ID`: `<digits>@broadcast`), as WhatsApp reports them. 404 when the account has no such list.',
    input: z.object({ ID: z.string().min(1, 'must not be empty').max(128).describe('Broadcast list JID, e.g. 1700000000000@broadcast') }),
    output: z.object({ ID: z.string(), Name: z.string().nullable(), Participants: z.array(z.object({ Jid: z.string().nullable(), Lid: z.string().nullable() })) }),
    handler: async ({ input, caller }) => broadcastListParticipants(caller.session.id, input.ID),
  }),
];
