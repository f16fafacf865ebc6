import { getContentType, normalizeMessageContent, proto } from 'baileys';

/** WhatsApp content types in words, as a chat app shows them. */
const KIND_NAMES: Record<string, string> = {
  conversation: 'Text',
  extendedTextMessage: 'Text',
  imageMessage: 'Photo',
  videoMessage: 'Video',
  ptvMessage: 'Video note',
  audioMessage: 'Audio',
  documentMessage: 'Document',
  documentWithCaptionMessage: 'Document',
  stickerMessage: 'Sticker',
  lottieStickerMessage: 'Sticker',
  pollCreationMessage: 'Poll',
  pollCreationMessageV2: 'Poll',
  pollCreationMessageV3: 'Poll',
  pollCreationMessageV5: 'Poll',
  pollUpdateMessage: 'Poll vote',
  locationMessage: 'Location',
  liveLocationMessage: 'Live location',
  contactMessage: 'Contact',
  contactsArrayMessage: 'Contacts',
  buttonsMessage: 'Buttons',
  buttonsResponseMessage: 'Button reply',
  listMessage: 'List',
  listResponseMessage: 'List reply',
  templateMessage: 'Template',
  templateButtonReplyMessage: 'Button reply',
  interactiveMessage: 'Interactive message',
  interactiveResponseMessage: 'Interactive reply',
  eventMessage: 'Event',
  productMessage: 'Product',
  orderMessage: 'Order',
  groupInviteMessage: 'Group invite',
  callLogMesssage: 'Call',
  viewOnceMessage: 'View once',
  viewOnceMessageV2: 'View once',
  editedMessage: 'Edited message',
};

/** "Photo", "Voice note", "Poll"… for a stored content type (and content, which tells a voice note from audio). */
export function kindOf(type: string | null, content: proto.IMessage | undefined): string {
  if (type === 'audioMessage' && content?.audioMessage?.ptt) return 'Voice note';
  if (type === 'videoMessage' && content?.videoMessage?.gifPlayback) return 'GIF';
  if (!type) return 'Message';
  const known = KIND_NAMES[type];
  if (known) return known;
  // An unlisted type in words: "newsletterAdminInviteMessage" → "Newsletter admin invite".
  const words = type.replace(/Message(V\d+)?$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Message';
}

/** Decodes a stored content object (proto JSON, bytes in base64) into the message it wraps; undefined when it is not one. */
export function decodeStored(content: unknown): proto.IMessage | undefined {
  if (!content || typeof content !== 'object') return undefined;
  try {
    return normalizeMessageContent(proto.Message.fromObject(content as Record<string, unknown>)) ?? undefined;
  } catch {
    // Stored by an older version or cut short: the thread shows the stored type and text instead.
    return undefined;
  }
}

/** What a thread shows of a message's media: enough for a preview, no keys. */
export interface MediaView {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mimetype: string | null;
  fileName: string | null;
  seconds: number | null;
  ptt: boolean;
  fileLength: number | null;
}

const MEDIA_FIELDS = [
  ['imageMessage', 'image'],
  ['videoMessage', 'video'],
  ['audioMessage', 'audio'],
  ['documentMessage', 'document'],
  ['stickerMessage', 'sticker'],
] as const;

export function mediaViewOf(content: proto.IMessage | undefined): MediaView | null {
  if (!content) return null;
  for (const [field, kind] of MEDIA_FIELDS) {
    const media = content[field] as (proto.Message.IDocumentMessage & proto.Message.IAudioMessage) | null | undefined;
    if (!media) continue;
    return {
      kind,
      mimetype: media.mimetype ?? null,
      fileName: media.fileName ?? null,
      seconds: typeof media.seconds === 'number' ? media.seconds : null,
      ptt: Boolean(media.ptt),
      fileLength: media.fileLength === null || media.fileLength === undefined ? null : Number(media.fileLength),
    };
  }
  return null;
}

/** The message a reply quotes: its id, sender and what it said. */
export interface QuotedView {
  messageId: string;
  participant: string | null;
  kind: string;
  text: string | null;
}

export function quotedOf(content: proto.IMessage | undefined): QuotedView | null {
  const type = content ? getContentType(content) : undefined;
  if (!content || !type) return null;
  const inner = content[type] as { contextInfo?: proto.IContextInfo | null } | null | undefined;
  const context = inner && typeof inner === 'object' ? inner.contextInfo : null;
  if (!context?.stanzaId) return null;
  const quoted = normalizeMessageContent(context.quotedMessage ?? undefined) ?? undefined;
  const quotedType = quoted ? (getContentType(quoted) ?? null) : null;
  return { messageId: context.stanzaId, participant: context.participant ?? null, kind: kindOf(quotedType, quoted), text: textOf(quoted) };
}

/** Body or caption of a message (a poll's question, a location's or contact's name). */
export function textOf(content: proto.IMessage | undefined): string | null {
  if (!content) return null;
  return (
    content.conversation ||
    content.extendedTextMessage?.text ||
    content.imageMessage?.caption ||
    content.videoMessage?.caption ||
    content.documentMessage?.caption ||
    content.pollCreationMessageV3?.name ||
    content.pollCreationMessage?.name ||
    content.pollCreationMessageV2?.name ||
    content.locationMessage?.name ||
    content.contactMessage?.displayName ||
    null
  );
}

/** The poll's options, when the message is a poll. */
export function pollOptionsOf(content: proto.IMessage | undefined): string[] | null {
  const poll = content?.pollCreationMessageV3 ?? content?.pollCreationMessage ?? content?.pollCreationMessageV2;
  if (!poll?.options) return null;
  return poll.options.map((o) => o.optionName ?? '').filter(Boolean);
}
