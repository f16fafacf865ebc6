import { z } from 'zod';
import { defineRoute } from '../http/route';
import { downloadImage, downloadMedia } from '../services/message-download.service';
import type { MediaKind } from '../services/messaging/media/media-kinds';

const TAG = 'Messages';

const b64 = (what: string) => z.string().min(1, 'must not be empty').max(128).describe(`${what} (base64)`);

/** The fields a Message event's media carries (url, directPath, mediaKey, mimetype, fileEncSha256, fileSha256, fileLength). */
const downloadFields = {
  Url: z.string().max(4096).describe('Media URL (`url` of the message)'),
  DirectPath: z.string().max(4096).describe('Media path on WhatsApp\'s media host (`directPath`); used instead of Url when given'),
  MediaKey: b64('Media key'),
  Mimetype: z.string().min(1).max(255).describe('MIME type of the media'),
  FileEncSHA256: b64('SHA-256 of the encrypted file; checked when given'),
  FileSHA256: b64('SHA-256 of the decrypted file; always checked'),
  FileLength: z.number().int().min(0).describe('Size of the decrypted file in bytes'),
};

const downloadInput = z.object({
  Url: downloadFields.Url,
  DirectPath: downloadFields.DirectPath.optional(),
  MediaKey: downloadFields.MediaKey,
  Mimetype: downloadFields.Mimetype,
  FileEncSHA256: downloadFields.FileEncSHA256.optional(),
  FileSHA256: downloadFields.FileSHA256,
  FileLength: downloadFields.FileLength,
});

const downloadAnswer = z
  .object({
    Data: z.string().describe('The decrypted media as a base64 data URL (`data:<Mimetype>;base64,…`)'),
    Mimetype: z.string(),
    FileLength: z.number().describe('Size of the decrypted media in bytes'),
  })
  .meta({ id: 'DownloadAnswer' });

const DOWNLOAD_NOTE =
  'Downloads the encrypted media (WhatsApp media hosts and the configured WhatsApp server are trusted; other URLs follow the SSRF rules of media sends), ' +
  'checks FileEncSHA256 (when given) and the MAC, decrypts, and checks FileSHA256 and FileLength: a mismatch answers 422. Files above WAGO_MEDIA_MAX_BYTES are refused.';

const route = (kind: MediaKind, summary: string) =>
  defineRoute({
    method: 'POST',
    path: `/message/download/${kind}`,
    auth: 'session',
    tag: TAG,
    summary,
    description: `Downloads the ${kind} of a message from the media fields of its Message event. ${DOWNLOAD_NOTE}`,
    input: downloadInput,
    output: downloadAnswer,
    handler: async ({ input }) => downloadMedia(kind, input),
  });

export const messageMediaRoutes = [
  defineRoute({
    method: 'POST',
    path: '/message/downloadimage',
    auth: 'session',
    tag: TAG,
    summary: 'Download image.',
    description:
      'Downloads the image of a message. With `Id`, the keys come from the message store (a stored message whose content has an imageMessage; 404 when unknown, 400 when it has no image). ' +
      `Without Id, it takes the same fields as /message/download/image. ${DOWNLOAD_NOTE}`,
    input: z.object({
      Id: z.string().min(1).max(128).optional().describe('WhatsApp id of a stored message with an image'),
      Url: downloadFields.Url.optional(),
      DirectPath: downloadFields.DirectPath.optional(),
      MediaKey: downloadFields.MediaKey.optional(),
      Mimetype: downloadFields.Mimetype.optional(),
      FileEncSHA256: downloadFields.FileEncSHA256.optional(),
      FileSHA256: downloadFields.FileSHA256.optional(),
      FileLength: downloadFields.FileLength.optional(),
    }),
    output: downloadAnswer,
    handler: async ({ input, caller }) => downloadImage(caller.session.id, input),
  }),
  route('image', 'Download image.'),
  route('video', 'Download video.'),
  route('document', 'Download document.'),
  route('audio', 'Download audio.'),
  route('sticker', 'Download sticker.'),
];
