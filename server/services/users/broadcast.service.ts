import { getBinaryNodeChild, getBinaryNodeChildren, jidNormalizedUser, S_WHATSAPP_NET } from 'baileys';
import { badRequest, notFound, whatsAppErrorCode } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import { lidResolverOf } from '../../whatsapp/lid-memo';

export interface BroadcastListAnswer {
  ID: string;
  Name: string | null;
  Participants: Array<{ Jid: string | null; Lid: string | null }>;
}

/** The recipients of a broadcast list this account owns, as WhatsApp reports them (`iq xmlns="w:b"`). */
export async function broadcastListParticipants(sessionId: string, raw: string): Promise<BroadcastListAnswer> {
  const value = raw.trim();
  const match = /^(\d{1,20})(@broadcast)?$/.exec(value);
  if (!match) throw badRequest(`ID: must be a broadcast list JID (<digits>@broadcast), got ${raw}`);
  const id = `${match[1]}@broadcast`;
  const { sock } = connectedSession(sessionId);
  let result;
  try {
    result = await sock.query({ tag: 'iq', attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:b' }, content: [{ tag: 'list', attrs: { id } }] });
  } catch (error) {
    if (whatsAppErrorCode(error) === 404) throw notFound(`ID: this account has no broadcast list ${id}`);
    throw error;
  }
  const list = getBinaryNodeChild(result, 'list');
  const resolver = lidResolverOf(sock);
  const participants = await Promise.all(
    getBinaryNodeChildren(list, 'recipient').map(async ({ attrs }) => {
      const jid = attrs.jid ? jidNormalizedUser(attrs.jid) : null;
      if (jid?.endsWith('@lid')) return { Jid: await resolver.getPNForLID(jid), Lid: jid };
      return { Jid: jid, Lid: attrs.lid ? jidNormalizedUser(attrs.lid) : jid ? await resolver.getLIDForPN(jid) : null };
    }),
  );
  return { ID: id, Name: list?.attrs.name ?? null, Participants: participants };
}
