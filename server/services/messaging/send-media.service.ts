import type { AnyMessageContent } from 'baileys';
import { badRequest } from '../../http/errors';
import { checkedRecipient, sendContent, type ContextInfoInput, type SendAnswer } from './outgoing';
import type { MediaKind } from './media/media-kinds';
import { generatedVideoThumbnail, prepareAudio, prepareDocument, prepareImage, prepareSticker, prepareVideo, thumbnailField } from './media/prepare-media';

interface Common {
  Phone: string;
  Id?: string;
  ContextInfo?: ContextInfoInput;
}

const opts = (input: { Id?: string; ContextInfo?: ContextInfoInput }) => ({ id: input.Id, contextInfo: input.ContextInfo });

export async function sendImage(sessionId: string, input: Common & { Image: string; Caption?: string }): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const media = await prepareImage('Image', input.Image);
  return sendContent(sessionId, to, { image: media.data, mimetype: media.mimetype, caption: input.Caption || undefined }, opts(input));
}

export async function sendVideo(sessionId: string, input: Common & { Video: string; Caption?: string; JpegThumbnail?: string }): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const thumbnail = input.JpegThumbnail ? await thumbnailField('JpegThumbnail', input.JpegThumbnail, 'image/jpeg') : undefined;
  const media = await prepareVideo('Video', input.Video);
  // A defined jpegThumbnail keeps Baileys from running ffmpeg through a shell itself.
  const jpegThumbnail = thumbnail ?? (await generatedVideoThumbnail(media.data, media.ext ?? 'mp4')) ?? '';
  return sendContent(sessionId, to, { video: media.data, mimetype: media.mimetype, caption: input.Caption || undefined, jpegThumbnail }, opts(input));
}

export async function sendAudio(sessionId: string, input: Common & { Audio: string; Ptt?: boolean; Duration?: number }): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const ptt = input.Ptt ?? false;
  const media = await prepareAudio('Audio', input.Audio, { ptt, seconds: input.Duration });
  // Baileys copies unknown content fields (waveform) into the AudioMessage proto and then skips its own waveform step.
  const content: AnyMessageContent & { waveform?: Uint8Array } = { audio: media.data, mimetype: media.mimetype, ptt, seconds: media.seconds, ...(media.waveform ? { waveform: media.waveform } : {}) };
  return sendContent(sessionId, to, content, opts(input));
}

export async function sendDocument(sessionId: string, input: Common & { Document: string; FileName: string; Caption?: string; Mimetype?: string }): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const media = await prepareDocument('Document', input.Document, { fileName: input.FileName, mimetype: input.Mimetype });
  return sendContent(sessionId, to, { document: media.data, mimetype: media.mimetype, fileName: input.FileName, caption: input.Caption || undefined }, opts(input));
}

export async function sendSticker(sessionId: string, input: Common & { Sticker: string; PngThumbnail?: string }): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const pngThumbnail = input.PngThumbnail ? await thumbnailField('PngThumbnail', input.PngThumbnail, 'image/png') : undefined;
  const media = await prepareSticker('Sticker', input.Sticker);
  const content: AnyMessageContent & { pngThumbnail?: string } = {
    sticker: media.data,
    mimetype: media.mimetype,
    isAnimated: media.isAnimated,
    ...(media.width && media.height ? { width: media.width, height: media.height } : {}),
    // Baileys copies unknown content fields into the StickerMessage proto.
    ...(pngThumbnail ? { pngThumbnail } : {}),
  };
  return sendContent(sessionId, to, content, opts(input));
}

export interface SendMediaUrlInput {
  Jid: string;
  Url: string;
  Type: MediaKind;
  Caption: string;
  Filename: string;
  Duration?: number;
  Id?: string;
  ContextInfo?: ContextInfoInput;
}

/** Media fetched from an http(s) URL (SSRF-checked), sent as the given Type. */
export async function sendMediaUrl(sessionId: string, input: SendMediaUrlInput): Promise<SendAnswer> {
  if (!/^https?:\/\//i.test(input.Url.trim())) throw badRequest('Url: must be an http(s) URL');
  const to = await checkedRecipient(sessionId, input.Jid, 'Jid');
  const caption = input.Caption || undefined;
  let content: AnyMessageContent;
  switch (input.Type) {
    case 'image': {
      const m = await prepareImage('Url', input.Url);
      content = { image: m.data, mimetype: m.mimetype, caption };
      break;
    }
    case 'video': {
      const m = await prepareVideo('Url', input.Url);
      content = { video: m.data, mimetype: m.mimetype, caption, jpegThumbnail: (await generatedVideoThumbnail(m.data, m.ext ?? 'mp4')) ?? '' };
      break;
    }
    case 'audio': {
      const m = await prepareAudio('Url', input.Url, { ptt: false, seconds: input.Duration });
      content = { audio: m.data, mimetype: m.mimetype, seconds: m.seconds };
      break;
    }
    case 'document': {
      const m = await prepareDocument('Url', input.Url, { fileName: input.Filename || 'file' });
      content = { document: m.data, mimetype: m.mimetype, fileName: input.Filename || m.urlFileName || 'file', caption };
      break;
    }
    case 'sticker': {
      const m = await prepareSticker('Url', input.Url);
      content = { sticker: m.data, mimetype: m.mimetype, isAnimated: m.isAnimated };
      break;
    }
  }
  return sendContent(sessionId, to, content, { ...opts(input), field: 'Jid' });
}
