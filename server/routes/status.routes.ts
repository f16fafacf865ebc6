import { z } from 'zod';
import { defineRoute } from '../http/route';
import { mediaSource, needs, sendAnswer } from './schemas';
import { postImageStatus, postTextStatus, postVideoStatus } from '../services/status/status.service';

const TAG = 'Status';

/** Font values of WhatsApp's text statuses (proto ExtendedTextMessage.FontType). */
const FONTS = [0, 1, 2, 6, 7, 8, 9, 10];

const color = (what: string) =>
  z
    .number()
    .int('must be a whole number')
    .min(-0x80000000, 'must be a 32-bit ARGB number')
    .max(0xffffffff, 'must be a 32-bit ARGB number')
    .describe(`${what} as an ARGB number, e.g. 0xFF1E6E4F = 4280184399 (a negative number is read as signed 32-bit)`);

const recipients = z
  .array(z.string().min(1, 'must not be empty').max(128))
  .min(1, 'must name at least one recipient')
  .max(1000, 'at most 1000 recipients')
  .describe("Who sees the status: phone numbers or user JIDs (WaGo extension). Default: the accounts this session has chatted with one-to-one");

const caption = z.string().max(65_536).describe('Caption shown under the media');

const statusAnswer = sendAnswer.extend({ Recipients: z.array(z.string()).describe('The JIDs the status was sent to') }).meta({ id: 'StatusAnswer' });

const AUDIENCE =
  'The status is sent to status@broadcast for the session\'s contacts: the accounts it has chatted with one-to-one (from the message store, most recently active first, at most 1000), or for `Recipients` when given; each phone number among them must be on WhatsApp (404 otherwise).';

export const statusRoutes = [
  defineRoute({
    method: 'POST',
    path: '/status/text',
    auth: 'session',
    tag: TAG,
    summary: 'Text status.',
    description: `Posts a text status with its text colour, background colour and font. ${AUDIENCE}`,
    input: needs(
      z.object({
        Text: z.string().min(1, 'must not be empty').max(700, 'must be at most 700 characters').optional().describe('Text of the status (at most 700 characters)'),
        TextColor: color('Text colour').optional(),
        BackgroundColor: color('Background colour').optional(),
        Font: z
          .number()
          .int('must be a whole number')
          .refine((f) => FONTS.includes(f), `must be one of ${FONTS.join(', ')}`)
          .optional()
          .describe('Font: 0 system, 1 system text, 2 script, 6 system bold, 7 Morning Breeze, 8 Calistoga, 9 Exo 2 extra bold, 10 Courier Prime bold'),
        Recipients: recipients.optional(),
      }),
      'Text',
    ),
    output: statusAnswer,
    handler: async ({ input, caller }) => postTextStatus(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/status/image',
    auth: 'session',
    tag: TAG,
    summary: 'Image status.',
    description: `Posts a JPEG, PNG or WebP image status with an optional caption (the image is read as for /send/image). ${AUDIENCE}`,
    input: needs(z.object({ Image: mediaSource('Image').optional(), Caption: caption.optional(), Recipients: recipients.optional() }), 'Image'),
    output: statusAnswer,
    handler: async ({ input, caller }) => postImageStatus(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/status/video',
    auth: 'session',
    tag: TAG,
    summary: 'Video status.',
    description: `Posts an MP4 or 3GP video status with an optional caption (the video is read and thumbnailed as for /send/video). The contract lists no fields: \`Video\` (required), \`Caption\` and \`Recipients\` are WaGo's. ${AUDIENCE}`,
    input: needs(z.object({ Video: mediaSource('Video').optional(), Caption: caption.optional(), Recipients: recipients.optional() }), 'Video'),
    output: statusAnswer,
    handler: async ({ input, caller }) => postVideoStatus(caller.session.id, input),
  }),
];
