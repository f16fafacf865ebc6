import { z } from 'zod';
import { defineRoute } from '../http/route';
import { contextInfo, mediaSource, messageId, phone, sendAnswer } from './schemas';
import { sendAudio, sendDocument, sendImage, sendMediaUrl, sendSticker, sendVideo } from '../services/messaging/send-media.service';

const TAG = 'Sending messages';

const caption = z.string().max(65_536).describe('Caption shown under the media');
const duration = z.number().int('must be whole seconds').min(0).max(86_400).describe('Length in seconds (measured when absent)');
const MEDIA_NOTE = 'The type is detected from the bytes; a file that is not what the field must carry is refused with 400 and nothing is sent.';

export const sendMediaRoutes = [
  defineRoute({
    method: 'POST',
    path: '/send/image',
    auth: 'session',
    tag: TAG,
    summary: 'Send image.',
    description: `Sends a JPEG, PNG or WebP image with an optional caption. ${MEDIA_NOTE}`,
    input: z.object({
      Phone: phone(),
      Image: mediaSource('Image'),
      Caption: caption.optional(),
      Id: messageId.optional(),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendImage(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/send/audio',
    auth: 'session',
    tag: TAG,
    summary: 'Send audio.',
    description:
      'Sends audio. `Ptt: true` sends a voice note: Ogg/Opus is sent as is, other formats are converted with ffmpeg to Ogg/Opus (48 kHz mono). ' +
      `Without Ptt, MP3, AAC, M4A, AMR and Ogg/Opus are sent as is and others (e.g. WAV) converted to Ogg/Opus. ${MEDIA_NOTE}`,
    input: z.object({
      Phone: phone(),
      Audio: mediaSource('Audio'),
      Ptt: z.boolean().optional().describe('Send as a voice note (push to talk)'),
      Duration: duration.optional(),
      Id: messageId.optional(),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendAudio(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/send/document',
    auth: 'session',
    tag: TAG,
    summary: 'Send document.',
    description: 'Sends any file as a document with its FileName. Mimetype defaults to the type detected from the bytes (else from the data URL or the file name, else application/octet-stream).',
    input: z.object({
      Phone: phone(),
      Document: mediaSource('Document'),
      FileName: z.string().min(1, 'must not be empty').max(255).describe('File name shown to the recipient'),
      Caption: caption.optional(),
      Mimetype: z
        .string()
        .max(255)
        .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'must be a MIME type like application/pdf')
        .optional()
        .describe('MIME type announced (detected from the bytes when absent)'),
      Id: messageId.optional(),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendDocument(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/send/video',
    auth: 'session',
    tag: TAG,
    summary: 'Send video.',
    description: `Sends an MP4 or 3GP video with an optional caption. Without JpegThumbnail a thumbnail is made from the first frame. ${MEDIA_NOTE}`,
    input: z.object({
      Phone: phone(),
      Video: mediaSource('Video'),
      Caption: caption.optional(),
      Id: messageId.optional(),
      JpegThumbnail: z.string().min(1).optional().describe('Thumbnail: base64 (or a base64 data URL) JPEG, at most 256 KB'),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendVideo(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/send/sticker',
    auth: 'session',
    tag: TAG,
    summary: 'Send sticker.',
    description: `Sends a sticker. WebP is sent as is; PNG, JPEG and GIF (first frame) are converted to a 512×512 WebP on a transparent background. PngThumbnail is carried in the message. ${MEDIA_NOTE}`,
    input: z.object({
      Phone: phone(),
      Sticker: mediaSource('Sticker'),
      Id: messageId.optional(),
      PngThumbnail: z.string().min(1).optional().describe('Thumbnail: base64 (or a base64 data URL) PNG, at most 256 KB'),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendSticker(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/send/mediaurl',
    auth: 'session',
    tag: TAG,
    summary: 'Send media url.',
    description:
      'Downloads the media at Url (http or https; public addresses only unless WAGO_MEDIA_ALLOW_PRIVATE_URLS=1; redirects re-checked, at most 5; 30 s) and sends it as Type. ' +
      'Caption applies to image, video and document; Filename names a document (empty: taken from the URL); Duration is the audio length in seconds.',
    input: z.object({
      Jid: phone('Recipient: phone number in international format, or a JID'),
      Url: z.string().min(1, 'must not be empty').max(4096).describe('http(s) URL of the media'),
      Type: z.enum(['image', 'video', 'audio', 'document', 'sticker']).describe('image, video, audio, document or sticker'),
      Duration: duration.optional(),
      Caption: caption,
      Filename: z.string().max(255).describe('Document file name ("" for none)'),
      Id: messageId.optional(),
      ContextInfo: contextInfo.optional(),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendMediaUrl(caller.session.id, input),
  }),
];
