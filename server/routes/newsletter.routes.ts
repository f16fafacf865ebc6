import { z } from 'zod';
import { defineRoute } from '../http/route';
import { mediaSource, needs } from './schemas';
import {
  createNewsletter,
  DEFAULT_POST_COUNT,
  listNewsletters,
  newsletterByInvite,
  newsletterInfo,
  newsletterMessages,
  subscribeNewsletter,
} from '../services/newsletters/newsletters.service';

const TAG = 'Newsletters';
const jid = z.string().min(1, 'must not be empty').max(128).describe('Channel JID (digits@newsletter)');

const info = z
  .object({
    Jid: z.string(),
    Name: z.string(),
    Description: z.string(),
    InviteCode: z.string().nullable(),
    InviteLink: z.string().nullable().describe('https://whatsapp.com/channel/<code>'),
    Subscribers: z.number(),
    Verification: z.string().describe('verified or unverified'),
    State: z.string(),
    Role: z.string().nullable().describe("The account's role: owner, admin, subscriber or guest"),
    Muted: z.boolean().nullable(),
    CreatedAt: z.number().nullable().describe('Unix seconds'),
    Picture: z.object({ Id: z.string(), DirectPath: z.string().nullable() }).nullable().describe("The channel's picture as WhatsApp holds it (WaGo extension), or null"),
  })
  .meta({ id: 'NewsletterInfo' });

const post = z
  .object({
    ServerId: z.number().describe("The post's number in the channel (what BeforeId takes)"),
    Id: z.string(),
    Timestamp: z.number(),
    Type: z.string(),
    Text: z.string().nullable(),
    Message: z.record(z.string(), z.unknown()).nullable().describe('The post as a WhatsApp message (proto JSON)'),
    Reactions: z.array(z.object({ Code: z.string(), Count: z.number() })),
    Views: z.number().nullable(),
  })
  .meta({ id: 'NewsletterPost' });

export const newsletterRoutes = [
  defineRoute({
    method: 'POST',
    path: '/newsletter/create',
    auth: 'session',
    tag: TAG,
    summary: 'Create newsletter.',
    description:
      'Creates a WhatsApp channel owned by the account and answers its metadata (with the invite link). ' +
      'WaGo extension: `Picture` (optional) sets the channel picture in the same creation query — the same input forms as the send routes (base64 data URL, plain base64 or an http(s) URL); it is cropped square to a 640×640 JPEG. A picture that cannot be read is a 400 and no channel is created.',
    input: needs(
      z.object({
        Name: z.string().trim().min(1, 'must not be empty').max(100).optional().describe('Channel name'),
        Description: z.string().max(2048).optional().describe('Channel description'),
        Picture: mediaSource('Channel picture (JPEG, PNG or WebP; WaGo extension)').optional(),
      }),
      'Name',
    ),
    output: info,
    handler: async ({ input, caller }) => createNewsletter(caller.session.id, input.Name, input.Description, input.Picture),
  }),
  defineRoute({
    method: 'GET',
    path: '/newsletter/list',
    auth: 'session',
    tag: TAG,
    summary: 'List newsletter.',
    description: 'The channels the account follows or owns, as WhatsApp lists them.',
    output: z.object({ Newsletters: z.array(info) }),
    handler: async ({ caller }) => listNewsletters(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/newsletter/info',
    auth: 'session',
    tag: TAG,
    summary: 'Get newsletter.',
    description: "A channel's metadata by JID. 404 when WhatsApp has no such channel.",
    input: needs(z.object({ Jid: jid.optional() }), 'Jid'),
    output: info,
    handler: async ({ input, caller }) => newsletterInfo(caller.session.id, input.Jid),
  }),
  defineRoute({
    method: 'POST',
    path: '/newsletter/link',
    auth: 'session',
    tag: TAG,
    summary: 'Get newsletter invite.',
    description: "A channel's metadata by invite: the code or the whole link (https://whatsapp.com/channel/<code>). 404 when no channel has it.",
    input: needs(z.object({ Key: z.string().min(1, 'must not be empty').max(256).optional().describe('Invite code or channel link') }), 'Key'),
    output: info,
    handler: async ({ input, caller }) => newsletterByInvite(caller.session.id, input.Key),
  }),
  defineRoute({
    method: 'POST',
    path: '/newsletter/subscribe',
    auth: 'session',
    tag: TAG,
    summary: 'Subscribe newsletter.',
    description: "Follows the channel; answers its metadata as the account now sees it. 404 when WhatsApp has no such channel.",
    input: needs(z.object({ Jid: jid.optional() }), 'Jid'),
    output: info.extend({ Details: z.string() }),
    handler: async ({ input, caller }) => subscribeNewsletter(caller.session.id, input.Jid),
  }),
  defineRoute({
    method: 'POST',
    path: '/newsletter/messages',
    auth: 'session',
    tag: TAG,
    summary: 'Get newsletter messages.',
    description: `A channel's posts, oldest first: the newest \`Count\` (default ${DEFAULT_POST_COUNT}, at most 100), or the newest \`Count\` before the post numbered \`BeforeId\` (a \`ServerId\`), to page back.`,
    input: needs(
      z.object({
        Jid: jid.optional(),
        Count: z.number().int('must be a whole number').min(1).max(100).optional().describe(`How many posts (default ${DEFAULT_POST_COUNT}, at most 100)`),
        BeforeId: z.number().int('must be a whole number').min(1).optional().describe('Only posts before this ServerId'),
      }),
      'Jid',
    ),
    output: z.object({ Jid: z.string(), Messages: z.array(post) }),
    handler: async ({ input, caller }) => newsletterMessages(caller.session.id, input.Jid, input.Count, input.BeforeId),
  }),
];
