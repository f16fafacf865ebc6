import { proto } from 'baileys';
import { badRequest } from '../../http/errors';
import { recipient, type SendAnswer } from '../messaging/outgoing';
import { relayProto } from '../messaging/relay-proto';
import { textWithUrl } from '../messaging/interactive/link-preview';
import { businessAccount } from './business-account';

/** A catalog link (`https://wa.me/c/<number>`) or a product link (`https://wa.me/p/<product id>/<number>`). */
export const CATALOG_LINK = /^https:\/\/wa\.me\/(c\/\d{5,20}|p\/\d{1,30}\/\d{5,20})$/;

export interface SendCatalogInput {
  Phone: string;
  Text: string;
  MatchedText: string;
  Title: string;
}

/**
 * /business/send/catalog → `extendedTextMessage` {text, matchedText, title, description}: what the
 * WhatsApp Business app sends when it shares its catalog (or a product) in a chat; phones show it as
 * the catalog's preview and open the catalog from it. The description is the business profile's.
 */
export async function sendBusinessCatalog(sessionId: string, input: SendCatalogInput): Promise<SendAnswer> {
  if (!CATALOG_LINK.test(input.MatchedText)) throw badRequest('MatchedText: must be a catalog link https://wa.me/c/<number> or a product link https://wa.me/p/<product id>/<number>');
  const to = recipient(input.Phone);
  const { profile } = await businessAccount(sessionId);
  const message: proto.IMessage = {
    extendedTextMessage: {
      text: textWithUrl(input.Text, input.MatchedText),
      matchedText: input.MatchedText,
      title: input.Title,
      ...(profile.description ? { description: profile.description } : {}),
      previewType: proto.Message.ExtendedTextMessage.PreviewType.NONE,
    },
  };
  return relayProto(sessionId, to, async () => message);
}
