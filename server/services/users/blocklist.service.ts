import { jidNormalizedUser } from 'baileys';
import { notFound } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { userJid } from './lookup.service';

/** Privacy settings and the blocklist, as WhatsApp keeps them for the account. */

export interface PrivacyAnswer {
  ReadReceipts: string | null;
  LastSeen: string | null;
  Online: string | null;
  Profile: string | null;
  Status: string | null;
  GroupAdd: string | null;
  CallAdd: string | null;
  Messages: string | null;
  /** Every category WhatsApp answered, by its own name. */
  Categories: Record<string, string>;
}

/** The account's privacy settings, fresh from WhatsApp. */
export async function privacySettings(sessionId: string): Promise<PrivacyAnswer> {
  const { sock } = connectedSession(sessionId);
  const settings = (await sock.fetchPrivacySettings(true)) as Record<string, string>;
  const get = (name: string) => settings[name] ?? null;
  return {
    ReadReceipts: get('readreceipts'),
    LastSeen: get('last'),
    Online: get('online'),
    Profile: get('profile'),
    Status: get('status'),
    GroupAdd: get('groupadd'),
    CallAdd: get('calladd'),
    Messages: get('messages'),
    Categories: { ...settings },
  };
}

export interface BlockAnswer {
  Details: string;
  Jid: string | null;
  Lid: string | null;
  Blocked: boolean;
}

/** Blocks or unblocks a user: WhatsApp stops (or resumes) delivering their messages and calls. */
export async function setBlocked(sessionId: string, raw: string, block: boolean): Promise<BlockAnswer> {
  const jid = userJid(raw, 'Phone');
  const { sock } = connectedSession(sessionId);
  const resolver = lidResolverOf(sock);
  // Baileys addresses the block by LID (and PN): unknown ones are asked of WhatsApp first.
  const lid = jid.endsWith('@lid') ? jid : await sock.signalRepository.lidMapping.getLIDForPN(jid);
  const pn = jid.endsWith('@lid') ? await resolver.getPNForLID(jid) : jid;
  if (!lid || (block && !pn)) throw notFound(`Phone: ${raw} is not a WhatsApp account this session can resolve`);
  await sock.updateBlockStatus(jid, block ? 'block' : 'unblock');
  // WhatsApp tells only the account's other devices; this one announces its own change.
  sock.ev.emit('blocklist.update', { blocklist: [pn ? jidNormalizedUser(pn) : jidNormalizedUser(lid)], type: block ? 'add' : 'remove' });
  return { Details: block ? 'Contact blocked' : 'Contact unblocked', Jid: pn ? jidNormalizedUser(pn) : null, Lid: jidNormalizedUser(lid), Blocked: block };
}

/** The users this account blocked, each as JID and LID when known. */
export async function blocklist(sessionId: string): Promise<{ Users: Array<{ Jid: string | null; Lid: string | null }> }> {
  const { sock } = connectedSession(sessionId);
  const resolver = lidResolverOf(sock);
  const jids = (await sock.fetchBlocklist()).filter((j): j is string => Boolean(j));
  const users = await Promise.all(
    jids.map(async (raw) => {
      const jid = jidNormalizedUser(raw);
      if (jid.endsWith('@lid')) return { Jid: (await resolver.getPNForLID(jid)) ?? null, Lid: jid };
      return { Jid: jid, Lid: (await resolver.getLIDForPN(jid)) ?? null };
    }),
  );
  return { Users: users };
}
