import { proto } from 'baileys';
import { checkedRecipient, connectedSession, recipient, sendContent, type SendAnswer } from './outgoing';
import { relayProto } from './relay-proto';
import { base64Field, jpegThumbnail, textWithUrl, uploadPreviewImage, urlInfo } from './interactive/link-preview';
import type { ContactInput, GroupInviteInput, LocationInput, PollInput, PreviewInput } from './interactive/structured-inputs';
import { buildVcard } from './interactive/vcard';

/**
 * Structured (non-interactive) sends. Each goes through `sendContent` (Baileys content types,
 * replies and mentions via ContextInfo) unless it needs fields Baileys does not set.
 */

/**
 * /send/poll → `pollCreationMessage` (several answers) or `pollCreationMessageV3` (MaxAnswer 1),
 * {name, options[].optionName, selectableOptionsCount}, with a random `messageContextInfo.messageSecret`
 * (votes are encrypted with it) and the `<meta polltype="creation">` stanza child.
 */
export function sendPoll(sessionId: string, input: PollInput): Promise<SendAnswer> {
  const to = recipient(input.Phone);
  return sendContent(sessionId, to, { poll: { name: input.Question, values: input.Options, selectableCount: input.MaxAnswer } }, { id: input.Id, contextInfo: input.ContextInfo });
}

/** /send/location → `locationMessage` {degreesLatitude, degreesLongitude, name, address}. */
export function sendLocation(sessionId: string, input: LocationInput): Promise<SendAnswer> {
  const to = recipient(input.Phone);
  const location = { degreesLatitude: input.Latitude, degreesLongitude: input.Longitude, ...(input.Name ? { name: input.Name } : {}), ...(input.Address ? { address: input.Address } : {}) };
  return sendContent(sessionId, to, { location }, { id: input.Id, contextInfo: input.ContextInfo });
}

/** /send/contact → `contactMessage` {displayName, vcard} with a vCard 3.0 built from `Vcard`. */
export function sendContact(sessionId: string, input: ContactInput): Promise<SendAnswer> {
  const to = recipient(input.Phone);
  const displayName = input.Vcard.FullName;
  return sendContent(sessionId, to, { contacts: { displayName, contacts: [{ displayName, vcard: buildVcard(input.Vcard) }] } }, { id: input.Id, contextInfo: input.ContextInfo });
}

/**
 * /send/preview → `extendedTextMessage` {text, matchedText, title, description, jpegThumbnail}:
 * the small inline preview. /send/preview2 (`large: true`) also uploads the image as a
 * `thumbnail-link` (thumbnailDirectPath, mediaKey, thumbnailSha256/EncSha256, thumbnailWidth/Height),
 * which phones show as the large preview.
 */
export async function sendPreview(sessionId: string, input: PreviewInput, large: boolean): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const { thumbnail, jpeg } = await jpegThumbnail(base64Field(input.Image), 'Image');
  const hq = large ? await uploadPreviewImage(connectedSession(sessionId).sock, jpeg) : undefined;
  const text = textWithUrl(input.Text, input.MatchedURL);
  return sendContent(sessionId, to, { text, linkPreview: urlInfo(input.MatchedURL, input.Title, input.Description, thumbnail, hq) }, { id: input.Id, contextInfo: input.ContextInfo });
}

const INVITE_LINK = /^https:\/\/chat\.whatsapp\.com\/(invite\/)?[A-Za-z0-9]{10,}$/;

/**
 * /send/groupinvite → `extendedTextMessage` {text, matchedText, title}: exactly what a phone sends
 * when an invite link is pasted in a chat. For a `https://chat.whatsapp.com/<code>` link it also sets
 * description "WhatsApp Group Invite" and `inviteLinkGroupTypeV2` DEFAULT, so phones show the
 * group-invite preview with a "Join" action. A `groupInviteMessage` is not used: it needs the
 * group's JID and an invite code of a group this session administers.
 */
export function sendGroupInvite(sessionId: string, input: GroupInviteInput): Promise<SendAnswer> {
  const to = recipient(input.Phone);
  const invite = INVITE_LINK.test(input.MatchedText);
  const message: proto.IMessage = {
    extendedTextMessage: {
      text: textWithUrl(input.Text, input.MatchedText),
      matchedText: input.MatchedText,
      title: input.Title,
      previewType: proto.Message.ExtendedTextMessage.PreviewType.NONE,
      ...(invite ? { description: 'WhatsApp Group Invite', inviteLinkGroupTypeV2: proto.Message.ExtendedTextMessage.InviteLinkGroupType.DEFAULT } : {}),
    },
  };
  return relayProto(sessionId, to, async () => message, { id: input.Id });
}
