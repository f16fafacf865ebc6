import { z } from 'zod';

/** Shared pieces of the group and community route declarations. */

export const groupJidField = (description = 'The group: its JID (…@g.us)') => z.string().max(128).describe(description);

export const userPair = z.object({ JID: z.string().nullable().describe('Phone-number JID, when known'), LID: z.string().nullable().describe('LID, when known') });

export const groupInfoAnswer = z
  .object({
    JID: z.string(),
    Name: z.string(),
    Topic: z.string().nullable().describe('The description'),
    Owner: userPair.nullable().describe('Who created it'),
    Created: z.number().nullable().describe('Unix seconds'),
    IsLocked: z.boolean().describe('Only admins may edit the group info'),
    IsAnnounce: z.boolean().describe('Only admins may send messages'),
    EphemeralSeconds: z.number().describe('Disappearing-messages timer (0: off)'),
    IsCommunity: z.boolean(),
    IsCommunityAnnounce: z.boolean().describe("The community's general (announcement) group"),
    LinkedParentJID: z.string().nullable().describe('The community this group is linked to'),
    Size: z.number(),
    Participants: z.array(userPair.extend({ IsAdmin: z.boolean(), IsSuperAdmin: z.boolean() })),
  })
  .meta({ id: 'GroupInfo' });

export const groupChangeAnswer = z.object({ Details: z.string(), GroupJID: z.string() });

export const ADMIN_NOTE =
  'Needs admin rights in the group (for name, description and picture: when the group is locked): otherwise 403, with WhatsApp\'s answer. An unknown group, or one this account is not in, answers 404 or 403 likewise.';
