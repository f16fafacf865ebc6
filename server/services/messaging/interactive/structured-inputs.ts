import { z } from 'zod';
import { contextInfo, messageId, phone } from '../../../routes/schemas';
import { base64Bytes, httpUrl } from './fields';

/** Input schemas of /send/poll, /send/location, /send/contact, /send/preview(2), /send/groupinvite. */

export const pollInput = z
  .object({
    Phone: phone(),
    Question: z.string().min(1, 'must not be empty').max(255).describe('The question'),
    MaxAnswer: z.number().int('must be an integer').min(0, 'must not be negative').describe('How many options a voter may pick (0: any number)'),
    Options: z
      .array(z.string().min(1, 'must not be empty').max(100))
      .min(2, 'needs at least 2 options')
      .max(12, 'at most 12 options')
      .describe('The options (2 to 12 distinct texts)'),
    ContextInfo: contextInfo.optional(),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.Options.forEach((option, i) => {
      if (seen.has(option)) ctx.addIssue({ code: 'custom', path: ['Options', i], message: `duplicate option ${JSON.stringify(option)}` });
      seen.add(option);
    });
    if (input.MaxAnswer > input.Options.length) {
      ctx.addIssue({ code: 'custom', path: ['MaxAnswer'], message: `must be at most ${input.Options.length} (the number of options)` });
    }
  });

export const locationInput = z.object({
  Phone: phone(),
  Name: z.string().max(1000).optional().describe('Name of the place'),
  Id: messageId.optional(),
  Latitude: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90').describe('Degrees, -90 to 90'),
  Longitude: z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180').describe('Degrees, -180 to 180'),
  Address: z.string().max(1000).optional().describe('Address of the place (WaGo extension)'),
  ContextInfo: contextInfo.optional(),
});

const line = (max: number) => z.string().max(max).regex(/^[^\r\n]*$/, 'must be one line');

export const vcardInput = z
  .object({
    FullName: line(256).min(1, 'must not be empty').describe('Name shown for the contact'),
    Phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'must be a phone number in international format')
      .refine((v) => /^[0-9]{7,15}$/.test(v.replace(/\D/g, '')), 'must have 7 to 15 digits')
      .describe('Phone number in international format (+5511999999999); becomes a WhatsApp number (waid)'),
    Organization: line(256).optional().describe('Company'),
    Title: line(256).optional().describe('Job title'),
    Email: z.email('must be an e-mail address').max(256).optional().describe('E-mail address'),
    Url: httpUrl.optional().describe('Web site'),
    Note: z.string().max(1024).optional().describe('Free text'),
  })
  .describe('The contact: becomes a vCard 3.0 (FN, N, ORG, TITLE, TEL with waid, EMAIL, URL, NOTE)')
  .meta({ id: 'VcardInput' });

export const contactInput = z.object({
  Phone: phone(),
  Id: messageId.optional(),
  Vcard: vcardInput,
  ContextInfo: contextInfo.optional(),
});

export const previewInput = z.object({
  Phone: phone(),
  Text: z.string().min(1, 'must not be empty').max(65_536).describe('Message text (MatchedURL is appended on a new line when it is not in it)'),
  MatchedURL: httpUrl.describe('The URL the preview is for'),
  Title: z.string().min(1, 'must not be empty').max(512).describe('Preview title'),
  Description: z.string().max(2048).describe('Preview description (may be empty)'),
  Image: base64Bytes('Preview image, base64 (data URL or bare): JPEG, PNG or WebP, turned into a JPEG thumbnail'),
  Id: messageId.optional(),
  ContextInfo: contextInfo.optional(),
});

export const groupInviteInput = z.object({
  Phone: phone(),
  Text: z.string().min(1, 'must not be empty').max(65_536).describe('Message text (MatchedText is appended on a new line when it is not in it)'),
  MatchedText: httpUrl.describe('The link previewed, usually a group invite link https://chat.whatsapp.com/<code>'),
  Title: z.string().min(1, 'must not be empty').max(512).describe('Preview title (the group name)'),
  Id: messageId.optional(),
});

export type PollInput = z.output<typeof pollInput>;
export type LocationInput = z.output<typeof locationInput>;
export type VcardFields = z.output<typeof vcardInput>;
export type ContactInput = z.output<typeof contactInput>;
export type PreviewInput = z.output<typeof previewInput>;
export type GroupInviteInput = z.output<typeof groupInviteInput>;
