import { jidNormalizedUser, type WASocket } from 'baileys';
import { badRequest } from '../../http/errors';
import { messageRepository } from '../../repositories/message.repository';
import { parseRecipient } from '../../whatsapp/send/recipient';
import type { SessionRunner } from '../../whatsapp/session-runner';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { assertOnWhatsApp } from '../messaging/outgoing';

/** At most this many contacts see a status when the audience comes from the message store. */
export const MAX_STATUS_AUDIENCE = 1000;

const isUser = (jid: string) => jid.endsWith('@s.whatsapp.net') || jid.endsWith('@lid');

/**
 * `Recipients` as given: phone numbers or user JIDs (phone-number or LID), each phone number on
 * WhatsApp (404 "Recipients[i]: not on WhatsApp" otherwise), without duplicates.
 */
async function namedAudience(runner: SessionRunner, sock: WASocket, recipients: string[]): Promise<string[]> {
  const jids = recipients.map((raw, i) => {
    const parsed = parseRecipient(raw);
    if ('error' in parsed) throw badRequest(`Recipients[${i}]: ${parsed.error}`);
    if (!isUser(parsed.jid)) throw badRequest(`Recipients[${i}]: must be a phone number or a user JID (…@s.whatsapp.net, …@lid), got ${raw}`);
    return parsed.jid;
  });
  await Promise.all(jids.map((jid, i) => assertOnWhatsApp(runner, sock, jid, `Recipients[${i}]`)));
  return [...new Set(jids)];
}

/**
 * The session's contacts: the accounts it has chatted with one-to-one, from the message store,
 * most recently active first (at most MAX_STATUS_AUDIENCE), by phone number when known, never
 * the session's own account.
 */
async function contactsAudience(sessionId: string, sock: WASocket): Promise<string[]> {
  const own = new Set([sock.user?.id, sock.user?.lid].filter((j): j is string => Boolean(j)).map(jidNormalizedUser));
  const rows = await messageRepository.recentDirectChats(sessionId, MAX_STATUS_AUDIENCE * 2);
  const phones = new Set(rows.filter((r) => r.chatJid.endsWith('@s.whatsapp.net')).map((r) => r.chatJid));
  const lidsWithPhone = new Set(rows.filter((r) => r.chatJid.endsWith('@s.whatsapp.net') && r.chatLid).map((r) => r.chatLid!));
  const lids = lidResolverOf(sock);
  const audience: string[] = [];
  for (const { chatJid } of rows) {
    if (own.has(chatJid) || lidsWithPhone.has(chatJid)) continue;
    // A LID chat of someone also chatted with by phone number (the pair known only to Baileys) counts once.
    if (chatJid.endsWith('@lid')) {
      const pn = await lids.getPNForLID(chatJid);
      if (pn && (phones.has(jidNormalizedUser(pn)) || own.has(jidNormalizedUser(pn)))) continue;
    }
    audience.push(chatJid);
    if (audience.length === MAX_STATUS_AUDIENCE) break;
  }
  return audience;
}

/** Who sees a status: `Recipients` when given, else the session's contacts; 400 when that is nobody. */
export async function statusAudience(sessionId: string, runner: SessionRunner, sock: WASocket, recipients: string[] | undefined): Promise<string[]> {
  if (recipients) return namedAudience(runner, sock, recipients);
  const audience = await contactsAudience(sessionId, sock);
  if (!audience.length) throw badRequest('Recipients: this session has chatted with no one yet, so the status would reach nobody; name the Recipients');
  return audience;
}
