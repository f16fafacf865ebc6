import { badRequest } from '../../http/errors';
import type { SendAnswer } from '../messaging/outgoing';
import { sendAudio, sendDocument, sendImage, sendVideo } from '../messaging/send-media.service';
import { sendText } from '../messaging/send-text.service';

export interface InboxReplyInput {
  chatJid: string;
  /** The text, or the attachment's caption. */
  text?: string;
  /** A file as a base64 data URL, with its name. */
  attachment?: { data: string; fileName: string };
  /** The message this one replies to (quotes). */
  quotedId?: string;
  /** Who sent the quoted message (groups). */
  quotedSender?: string;
}

/** The kind a file is sent as: images, videos and audio as such, anything else as a document. */
function kindOfDataUrl(data: string): 'image' | 'video' | 'audio' | 'document' {
  const mime = /^data:([^;,]+)/i.exec(data)?.[1]?.toLowerCase() ?? '';
  if (/^image\/(jpeg|png|webp)$/.test(mime)) return 'image';
  if (mime === 'video/mp4') return 'video';
  if (/^audio\//.test(mime)) return 'audio';
  return 'document';
}

/**
 * A reply from the inbox: text, or an attachment with the text as its caption (audio goes
 * without one, WhatsApp shows none), sent through the same services as the REST send routes.
 */
export async function sendInboxReply(sessionId: string, input: InboxReplyInput): Promise<SendAnswer> {
  const text = input.text?.trim() ? input.text : undefined;
  const ContextInfo = input.quotedId ? { StanzaId: input.quotedId, Participant: input.quotedSender } : undefined;
  const Phone = input.chatJid;
  if (!input.attachment) {
    if (!text) throw badRequest('text: write a message or attach a file');
    return sendText(sessionId, { Phone, Body: text, ContextInfo });
  }
  const { data, fileName } = input.attachment;
  switch (kindOfDataUrl(data)) {
    case 'image':
      return sendImage(sessionId, { Phone, Image: data, Caption: text, ContextInfo });
    case 'video':
      return sendVideo(sessionId, { Phone, Video: data, Caption: text, ContextInfo });
    case 'audio': {
      const answer = await sendAudio(sessionId, { Phone, Audio: data, ContextInfo });
      if (text) await sendText(sessionId, { Phone, Body: text });
      return answer;
    }
    default:
      return sendDocument(sessionId, { Phone, Document: data, FileName: fileName, Caption: text, ContextInfo });
  }
}
