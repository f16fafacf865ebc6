import { z } from 'zod';
import { defineRoute } from '../http/route';
import { mediaSource, needs, phone } from './schemas';
import { checkUsers, ownAvatar, phoneOfLid, userAvatar, userInfo } from '../services/users/lookup.service';
import { blocklist, privacySettings, setBlocked } from '../services/users/blocklist.service';
import { PUSH_NAME_MAX, setOwnPresence, setProfilePicture, setPushName } from '../services/users/profile.service';
import { limits } from '../services/users/limits.service';
import { resyncAppState } from '../services/users/appstate.service';
import { listContacts } from '../services/users/contacts.service';

const TAG = 'Users';
const userPhone = (description: string) => phone(description);
/** The contract types these lists `object`; they are arrays of numbers or JIDs. */
const phoneList = z.array(userPhone('Phone number in international format, or a user JID (…@s.whatsapp.net, …@lid)')).min(1, 'must list at least one number').max(100, 'must list at most 100 numbers');
const ref = z.object({ Jid: z.string().nullable(), Lid: z.string().nullable() });

const userInfoAnswer = z
  .object({
    Users: z.array(
      z.object({
        Query: z.string(),
        Jid: z.string().nullable(),
        Lid: z.string().nullable(),
        Status: z.string().nullable().describe('Status (about) text'),
        PictureId: z.string().nullable(),
        Devices: z.array(z.string()).describe('Device JIDs (the phone first)'),
        VerifiedName: z.string().nullable().describe('Verified business name'),
      }),
    ),
  })
  .meta({ id: 'UserInfoAnswer' });
const checkAnswer = z.object({ Users: z.array(z.object({ Query: z.string(), IsInWhatsapp: z.boolean(), Jid: z.string(), Lid: z.string().nullable() })) }).meta({ id: 'UserCheckAnswer' });
const avatarAnswer = z.object({ Jid: z.string(), Url: z.string(), Id: z.string(), Type: z.enum(['image', 'preview']), DirectPath: z.string().nullable() }).meta({ id: 'AvatarAnswer' });
const blockAnswer = z.object({ Details: z.string(), Jid: z.string().nullable(), Lid: z.string().nullable(), Blocked: z.boolean() }).meta({ id: 'BlockAnswer' });
const NO_PICTURE = '404 when the user has no picture or does not show it to this account.';

export const userRoutes = [
  defineRoute({
    method: 'POST',
    path: '/user/info',
    auth: 'session',
    tag: TAG,
    summary: 'Get user.',
    description: 'Status text, picture id, devices, verified business name, JID and LID of each user in `Phone` (an array of numbers or JIDs).',
    input: z.object({ Phone: phoneList }),
    output: userInfoAnswer,
    handler: async ({ input, caller }) => userInfo(caller.session.id, input.Phone),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/check',
    auth: 'session',
    tag: TAG,
    summary: 'Check user.',
    description: 'Which numbers in `Phone` (an array) are on WhatsApp, each with its JID and LID.',
    input: z.object({ Phone: phoneList }),
    output: checkAnswer,
    handler: async ({ input, caller }) => checkUsers(caller.session.id, input.Phone),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/avatar',
    auth: 'session',
    tag: TAG,
    summary: 'Get avatar.',
    description: `This account's own profile picture (URL and id). ${NO_PICTURE}`,
    output: avatarAnswer,
    handler: async ({ caller }) => ownAvatar(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/avatar',
    auth: 'session',
    tag: TAG,
    summary: 'Get avatar.',
    description: `A user's or group's profile picture: \`Preview: true\` for the thumbnail, false for the full image. ${NO_PICTURE}`,
    input: z.object({ Phone: phone('User or group: phone number, or a JID'), Preview: z.boolean().describe('true: the thumbnail; false: the full picture') }),
    output: avatarAnswer,
    handler: async ({ input, caller }) => userAvatar(caller.session.id, input.Phone, input.Preview),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/contacts',
    auth: 'session',
    tag: TAG,
    summary: 'Get contacts.',
    description: 'The address book WaGo learned for this session (contacts the phone pushed, saved contacts, push names of senders), kept across restarts.',
    local: true,
    output: z.object({
      Contacts: z.array(
        z.object({
          Jid: z.string(),
          Lid: z.string().nullable(),
          FullName: z.string().nullable(),
          FirstName: z.string().nullable(),
          PushName: z.string().nullable(),
          BusinessName: z.string().nullable(),
          InAddressBook: z.boolean(),
          UpdatedAt: z.string(),
        }),
      ),
    }),
    handler: async ({ caller }) => listContacts(caller.session.id),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/privacy',
    auth: 'session',
    tag: TAG,
    summary: 'Get privacy.',
    description: 'The account\'s privacy settings, fresh from WhatsApp (all, contacts, contact_blacklist, none, match_last_seen…).',
    output: z.object({
      ReadReceipts: z.string().nullable(),
      LastSeen: z.string().nullable(),
      Online: z.string().nullable(),
      Profile: z.string().nullable(),
      Status: z.string().nullable(),
      GroupAdd: z.string().nullable(),
      CallAdd: z.string().nullable(),
      Messages: z.string().nullable(),
      Categories: z.record(z.string(), z.string()),
    }),
    handler: async ({ caller }) => privacySettings(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/block',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Block contact.',
    description: 'Blocks a user: WhatsApp no longer delivers their messages to this account. 404 when the number is not on WhatsApp.',
    input: needs(z.object({ Phone: userPhone('User: phone number, or a user JID').optional() }), 'Phone'),
    output: blockAnswer,
    handler: async ({ input, caller }) => setBlocked(caller.session.id, input.Phone, true),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/unblock',
    audit: true,
    auth: 'session',
    tag: TAG,
    summary: 'Unblock contact.',
    description: 'Unblocks a user.',
    input: needs(z.object({ Phone: userPhone('User: phone number, or a user JID').optional() }), 'Phone'),
    output: blockAnswer,
    handler: async ({ input, caller }) => setBlocked(caller.session.id, input.Phone, false),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/blocklist',
    auth: 'session',
    tag: TAG,
    summary: 'Get block list.',
    description: 'The users this account blocked, as WhatsApp lists them.',
    output: z.object({ Users: z.array(ref) }),
    handler: async ({ caller }) => blocklist(caller.session.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/profile',
    auth: 'session',
    tag: TAG,
    summary: 'Set profile picture.',
    description: 'Sets this account\'s profile picture (cropped square and scaled to 640×640).',
    input: z.object({ Image: mediaSource('Image (JPEG, PNG or WebP)') }),
    output: z.object({ Details: z.string(), Jid: z.string(), PictureId: z.string().nullable() }),
    handler: async ({ input, caller }) => setProfilePicture(caller.session.id, input.Image),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/name',
    auth: 'session',
    tag: TAG,
    summary: 'Update profile name.',
    description: 'Sets the push name contacts see on this account\'s next messages (an app-state setting; 409 until the phone shared its app-state key).',
    // The length rule (in characters, after trimming) is the service's; this only bounds the input.
    input: needs(z.object({ Name: z.string().max(PUSH_NAME_MAX * 4, `must be at most ${PUSH_NAME_MAX} characters`).optional().describe(`Push name, at most ${PUSH_NAME_MAX} characters`) }), 'Name'),
    output: z.object({ Details: z.string(), Name: z.string() }),
    handler: async ({ input, caller }) => setPushName(caller.session.id, input.Name),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/presence',
    auth: 'session',
    tag: TAG,
    summary: 'Send presence.',
    description: 'Shows this account online (`available`) or offline (`unavailable`) to contacts subscribed to its presence.',
    input: needs(
      z.object({ Presence: z.string().pipe(z.enum(['available', 'unavailable'], { error: 'must be available or unavailable' })).optional().describe('available or unavailable') }),
      'Presence',
    ),
    output: z.object({ Details: z.string(), Presence: z.enum(['available', 'unavailable']) }),
    handler: async ({ input, caller }) => setOwnPresence(caller.session.id, input.Presence),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/limits',
    auth: 'session',
    tag: TAG,
    summary: 'Get limits.',
    description: 'What WaGo enforces for this session: media size per kind, request body size, sends in flight, push-name length.',
    local: true,
    output: z.object({
      MediaMaxBytes: z.record(z.string(), z.number()),
      ConfiguredMediaMaxBytes: z.number(),
      BodyMaxBytes: z.number(),
      SendsInFlight: z.number(),
      SendRatePerSecond: z.null(),
      PushNameMaxLength: z.number(),
    }),
    handler: async () => limits(),
  }),
  defineRoute({
    method: 'POST',
    path: '/user/parselid',
    auth: 'session',
    tag: TAG,
    summary: 'Get jidfrom lid.',
    description: 'The phone-number JID behind a LID: from the session\'s stored mapping, else asked of WhatsApp. 404 when neither knows it.',
    input: needs(z.object({ LID: z.string().min(1, 'must not be empty').max(128).optional().describe('A LID: digits or …@lid') }), 'LID'),
    output: z.object({ Lid: z.string(), Jid: z.string(), Source: z.enum(['stored', 'whatsapp']) }),
    handler: async ({ input, caller }) => phoneOfLid(caller.session.id, input.LID),
  }),
  defineRoute({
    method: 'GET',
    path: '/user/appstate',
    auth: 'session',
    tag: TAG,
    summary: 'Fetch app state.',
    description: 'Re-syncs the app-state collections from WhatsApp and reports, per collection, the version before and after, the patches applied and the mutations held.',
    output: z.object({
      Details: z.string(),
      Collections: z.array(z.object({ Name: z.string(), VersionBefore: z.number(), Version: z.number(), Patches: z.number(), Mutations: z.number() })),
    }),
    handler: async ({ caller }) => resyncAppState(caller.session.id),
  }),
];
