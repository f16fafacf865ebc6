import { jidNormalizedUser, S_WHATSAPP_NET, getBinaryNodeChild, type WASocket } from 'baileys';
import { badRequest, notFound, whatsAppErrorCode } from '../../http/errors';
import { connectedSession, recipient } from '../messaging/outgoing';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { usync } from './usync';

/**
 * Who is who on WhatsApp: user details and registration checks (usync), profile pictures
 * (`w:profile:picture`), and the phone number behind a LID.
 */

/** A user JID (phone number or LID) from a request field, or a 400 naming the field. */
export function userJid(raw: string, field: string): string {
  const jid = recipient(raw, field);
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid')) throw badRequest(`${field}: must be a phone number or a user JID (…@s.whatsapp.net or …@lid), got ${raw}`);
  return jid;
}

const digitsOf = (jid: string) => jid.split('@')[0];
const deviceJid = (user: string, device: number) => {
  const [number, server] = user.split('@');
  return device === 0 ? user : `${number}:${device}@${server}`;
};

/** Keeps the LID ↔ phone pairs WhatsApp just told (later events and look-ups name both). */
async function rememberPairs(sock: WASocket, pairs: Array<{ lid: string | null; pn: string | null }>): Promise<void> {
  const known = pairs.filter((p): p is { lid: string; pn: string } => Boolean(p.lid?.endsWith('@lid') && p.pn?.endsWith('@s.whatsapp.net')));
  if (known.length) await sock.signalRepository.lidMapping.storeLIDPNMappings(known.map((p) => ({ lid: jidNormalizedUser(p.lid), pn: jidNormalizedUser(p.pn) })));
}

export interface UserInfo {
  Query: string;
  Jid: string | null;
  Lid: string | null;
  Status: string | null;
  PictureId: string | null;
  Devices: string[];
  VerifiedName: string | null;
}

/** Status text, picture id, devices, verified business name, JID and LID of each user. */
export async function userInfo(sessionId: string, phones: string[]): Promise<{ Users: UserInfo[] }> {
  const jids = phones.map((p, i) => userJid(p, `Phone[${i}]`));
  const { sock } = connectedSession(sessionId);
  const found = await usync(sock, jids.map((jid) => ({ jid })), ['business', 'status', 'picture', 'devices', 'lid'], { mode: 'full', context: 'background' });
  const byJid = new Map(found.map((u) => [jidNormalizedUser(u.jid), u]));
  await rememberPairs(sock, found.map((u) => (u.jid.endsWith('@lid') ? { lid: u.jid, pn: u.pnJid } : { lid: u.lid, pn: u.jid })));
  const resolver = lidResolverOf(sock);
  const users = await Promise.all(
    jids.map(async (jid, i): Promise<UserInfo> => {
      const u = byJid.get(jid);
      const isLid = jid.endsWith('@lid');
      const pn = isLid ? (u?.pnJid ?? (await resolver.getPNForLID(jid))) : jid;
      const lid = isLid ? jid : (u?.lid ?? (await resolver.getLIDForPN(jid)));
      return {
        Query: phones[i],
        Jid: pn ? jidNormalizedUser(pn) : null,
        Lid: lid ? jidNormalizedUser(lid) : null,
        Status: u?.status ?? null,
        PictureId: u?.pictureId ?? null,
        Devices: (u?.devices ?? []).map((d) => deviceJid(jid, d)),
        VerifiedName: u?.verifiedName ?? null,
      };
    }),
  );
  return { Users: users };
}

export interface CheckedUser {
  Query: string;
  IsInWhatsapp: boolean;
  Jid: string;
  Lid: string | null;
}

/** Which numbers are on WhatsApp, with their JID and LID. */
export async function checkUsers(sessionId: string, phones: string[]): Promise<{ Users: CheckedUser[] }> {
  const numbers = phones.map((p, i) => {
    const jid = recipient(p, `Phone[${i}]`);
    if (!jid.endsWith('@s.whatsapp.net')) throw badRequest(`Phone[${i}]: must be a phone number (a LID or group cannot be checked), got ${p}`);
    return digitsOf(jid);
  });
  const { runner, sock } = connectedSession(sessionId);
  const found = await usync(sock, numbers.map((phone) => ({ phone })), ['contact', 'lid']);
  const byNumber = new Map(found.map((u) => [digitsOf(jidNormalizedUser(u.jid)), u]));
  await rememberPairs(sock, found.map((u) => ({ lid: u.onWhatsApp ? u.lid : null, pn: u.jid })));
  // The answer also serves the check every send makes, so a send right after asks nothing.
  for (const n of numbers) runner.recipients.remember(`${n}@s.whatsapp.net`, Boolean(byNumber.get(n)?.onWhatsApp));
  return {
    Users: numbers.map((n, i) => {
      const u = byNumber.get(n);
      return { Query: phones[i], IsInWhatsapp: Boolean(u?.onWhatsApp), Jid: `${n}@s.whatsapp.net`, Lid: u?.onWhatsApp && u.lid ? u.lid : null };
    }),
  };
}

export interface AvatarAnswer {
  Jid: string;
  Url: string;
  Id: string;
  Type: 'image' | 'preview';
  DirectPath: string | null;
}

async function pictureOf(sock: WASocket, jid: string, type: 'image' | 'preview', field: string): Promise<AvatarAnswer> {
  try {
    const result = await sock.query({ tag: 'iq', attrs: { target: jid, to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:profile:picture' }, content: [{ tag: 'picture', attrs: { type, query: 'url' } }] });
    const picture = getBinaryNodeChild(result, 'picture');
    if (!picture?.attrs.url) throw notFound(`${field}: ${jid} has no profile picture (or does not show it to this account)`);
    return { Jid: jid, Url: picture.attrs.url, Id: picture.attrs.id ?? '', Type: type, DirectPath: picture.attrs.direct_path ?? null };
  } catch (error) {
    const code = whatsAppErrorCode(error);
    if (code === 404 || code === 401) throw notFound(`${field}: ${jid} has no profile picture (or does not show it to this account)`);
    throw error;
  }
}

/** This account's own profile picture (full size). */
export async function ownAvatar(sessionId: string): Promise<AvatarAnswer> {
  const { sock } = connectedSession(sessionId);
  const me = sock.user?.id;
  if (!me) throw notFound('this session has no WhatsApp account yet');
  return pictureOf(sock, jidNormalizedUser(me), 'image', 'session');
}

/** A user's (or group's) profile picture: the preview thumbnail or the full image. */
export async function userAvatar(sessionId: string, phone: string, preview: boolean): Promise<AvatarAnswer> {
  const jid = recipient(phone, 'Phone');
  const { sock } = connectedSession(sessionId);
  return pictureOf(sock, jid, preview ? 'preview' : 'image', 'Phone');
}

export interface LidAnswer {
  Lid: string;
  Jid: string;
  /** stored: from the session's LID mapping; whatsapp: asked WhatsApp (and now stored). */
  Source: 'stored' | 'whatsapp';
}

/** The phone-number JID behind a LID: from the stored mapping, else asked of WhatsApp; 404 when neither knows. */
export async function phoneOfLid(sessionId: string, raw: string): Promise<LidAnswer> {
  const value = raw.trim();
  const lid = /^\d{5,20}$/.test(value) ? `${value}@lid` : recipient(value, 'LID');
  if (!lid.endsWith('@lid')) throw badRequest(`LID: must be a LID (digits or …@lid), got ${raw}`);
  const { sock } = connectedSession(sessionId);
  const stored = await sock.signalRepository.lidMapping.getPNForLID(lid);
  if (stored) return { Lid: lid, Jid: jidNormalizedUser(stored), Source: 'stored' };
  const [user] = await usync(sock, [{ jid: lid }], ['lid']);
  if (!user?.pnJid) throw notFound(`LID: WhatsApp knows no phone number for ${lid}`);
  const pn = jidNormalizedUser(user.pnJid);
  await sock.signalRepository.lidMapping.storeLIDPNMappings([{ lid, pn }]);
  return { Lid: lid, Jid: pn, Source: 'whatsapp' };
}
