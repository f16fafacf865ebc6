import { generateWAMessageContent, type AnyMediaMessageContent, type WASocket, type proto } from 'baileys';
import { getRuntime } from '../../runtime/registry';
import { connectedSession, type SendAnswer } from '../messaging/outgoing';
import { relayProto } from '../messaging/relay-proto';
import { generatedVideoThumbnail, prepareImage, prepareVideo } from '../messaging/media/prepare-media';
import { statusAudience } from './status-audience';

/** Statuses are sent to this broadcast JID, encrypted with a sender key for the audience. */
export const STATUS_JID = 'status@broadcast';

/** What a status post answers: the send answer plus who it was sent to. */
export interface StatusAnswer extends SendAnswer {
  Recipients: string[];
}

export interface TextStatusInput {
  Text: string;
  TextColor?: number;
  BackgroundColor?: number;
  Font?: number;
  Recipients?: string[];
}

export interface ImageStatusInput {
  Image: string;
  Caption?: string;
  Recipients?: string[];
}

export interface VideoStatusInput {
  Video: string;
  Caption?: string;
  Recipients?: string[];
}

/** An ARGB colour as WhatsApp carries it (unsigned 32-bit); a negative number is read as signed 32-bit. */
const argb = (value: number) => value >>> 0;

/** Uploads media content the way Baileys' sendMessage does, inside the send queue's prepare step. */
const mediaMessage = (content: AnyMediaMessageContent) => async (sock: WASocket) =>
  generateWAMessageContent(content, {
    upload: sock.waUploadToServer,
    logger: getRuntime().logger as unknown as NonNullable<Parameters<typeof generateWAMessageContent>[1]['logger']>,
  });

/**
 * Posts a status: checks the connection and works out the audience before any media work, then
 * relays the message to status@broadcast for that audience through the session's send queue.
 */
async function post(sessionId: string, recipients: string[] | undefined, build: () => Promise<(sock: WASocket) => Promise<proto.IMessage>>): Promise<StatusAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const audience = await statusAudience(sessionId, runner, sock, recipients);
  const message = await build();
  const answer = await relayProto(sessionId, STATUS_JID, message, { statusJidList: audience });
  return { ...answer, Recipients: audience };
}

/** A text status: `extendedTextMessage` with text, textArgb, backgroundArgb and font. */
export function postTextStatus(sessionId: string, input: TextStatusInput): Promise<StatusAnswer> {
  const text: proto.Message.IExtendedTextMessage = { text: input.Text };
  if (input.TextColor !== undefined) text.textArgb = argb(input.TextColor);
  if (input.BackgroundColor !== undefined) text.backgroundArgb = argb(input.BackgroundColor);
  if (input.Font !== undefined) text.font = input.Font;
  return post(sessionId, input.Recipients, async () => async () => ({ extendedTextMessage: text }));
}

/** An image status with an optional caption (the image prepared exactly as /send/image does). */
export function postImageStatus(sessionId: string, input: ImageStatusInput): Promise<StatusAnswer> {
  return post(sessionId, input.Recipients, async () => {
    const media = await prepareImage('Image', input.Image);
    return mediaMessage({ image: media.data, mimetype: media.mimetype, caption: input.Caption || undefined });
  });
}

/** A video status with an optional caption (the video prepared and thumbnailed as /send/video does). */
export function postVideoStatus(sessionId: string, input: VideoStatusInput): Promise<StatusAnswer> {
  return post(sessionId, input.Recipients, async () => {
    const media = await prepareVideo('Video', input.Video);
    const jpegThumbnail = (await generatedVideoThumbnail(media.data, media.ext ?? 'mp4')) ?? '';
    return mediaMessage({ video: media.data, mimetype: media.mimetype, caption: input.Caption || undefined, jpegThumbnail });
  });
}
