import { getBinaryNodeChild, getBinaryNodeChildren, proto, S_WHATSAPP_NET, type BinaryNode, type WASocket } from 'baileys';

/**
 * User look-ups through WhatsApp's `usync` iq, sent as WhatsApp clients send it and read node by
 * node (Baileys' own USync parser drops the attributes and protocols this needs: the phone number
 * a LID stands for, the picture id, the verified business name).
 */

export interface UsyncUser {
  /** The JID WhatsApp answered for (as asked: PN or LID). */
  jid: string;
  /** The phone-number JID WhatsApp gave for a user asked for by LID. */
  pnJid: string | null;
  /** `contact` protocol: true when the number is on WhatsApp. */
  onWhatsApp: boolean | null;
  lid: string | null;
  status: string | null;
  pictureId: string | null;
  /** Device ids (0 = phone). */
  devices: number[] | null;
  verifiedName: string | null;
}

export type UsyncProtocol = 'contact' | 'lid' | 'status' | 'picture' | 'business' | 'devices';

function queryElement(protocol: UsyncProtocol): BinaryNode {
  if (protocol === 'devices') return { tag: 'devices', attrs: { version: '2' } };
  if (protocol === 'business') return { tag: 'business', attrs: {}, content: [{ tag: 'verified_name', attrs: {} }] };
  return { tag: protocol, attrs: {} };
}

/** A user to look up: by phone number (`contact` protocol, "+<digits>") or by JID. */
export type UsyncTarget = { phone: string } | { jid: string };

function userElement(target: UsyncTarget, protocols: UsyncProtocol[]): BinaryNode {
  if ('phone' in target) {
    return { tag: 'user', attrs: {}, content: protocols.includes('contact') ? [{ tag: 'contact', attrs: {}, content: `+${target.phone}` }] : [] };
  }
  return { tag: 'user', attrs: { jid: target.jid } };
}

function errorFree(n: BinaryNode | undefined): BinaryNode | undefined {
  if (!n || n.attrs.code || getBinaryNodeChild(n, 'error')) return undefined;
  return n;
}

function text(n: BinaryNode | undefined): string | null {
  if (!n) return null;
  if (typeof n.content === 'string') return n.content || null;
  if (n.content instanceof Uint8Array) return Buffer.from(n.content).toString('utf8') || null;
  return null;
}

function verifiedName(business: BinaryNode | undefined): string | null {
  const cert = getBinaryNodeChild(business, 'verified_name')?.content;
  if (!(cert instanceof Uint8Array) || cert.length === 0) return null;
  const details = proto.VerifiedNameCertificate.decode(cert).details;
  return details?.length ? (proto.VerifiedNameCertificate.Details.decode(details).verifiedName ?? null) : null;
}

function parseUser(user: BinaryNode, protocols: UsyncProtocol[]): UsyncUser {
  const has = (p: UsyncProtocol) => protocols.includes(p);
  const contact = getBinaryNodeChild(user, 'contact');
  const deviceList = getBinaryNodeChild(errorFree(getBinaryNodeChild(user, 'devices')), 'device-list');
  return {
    jid: user.attrs.jid ?? '',
    pnJid: user.attrs.pn_jid ?? null,
    onWhatsApp: has('contact') ? contact?.attrs.type === 'in' : null,
    lid: getBinaryNodeChild(user, 'lid')?.attrs.val ?? null,
    status: has('status') ? text(errorFree(getBinaryNodeChild(user, 'status'))) : null,
    pictureId: errorFree(getBinaryNodeChild(user, 'picture'))?.attrs.id ?? null,
    devices: has('devices') ? getBinaryNodeChildren(deviceList, 'device').map((d) => Number(d.attrs.id)) : null,
    verifiedName: has('business') ? verifiedName(getBinaryNodeChild(user, 'business')) : null,
  };
}

/** Asks WhatsApp about users; answers one entry per user WhatsApp listed, in its order. */
export async function usync(sock: WASocket, targets: UsyncTarget[], protocols: UsyncProtocol[], opts: { mode?: 'query' | 'full'; context?: 'interactive' | 'background' } = {}): Promise<UsyncUser[]> {
  const result = await sock.query({
    tag: 'iq',
    attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: { sid: sock.generateMessageTag(), mode: opts.mode ?? 'query', last: 'true', index: '0', context: opts.context ?? 'interactive' },
        content: [
          { tag: 'query', attrs: {}, content: protocols.map(queryElement) },
          { tag: 'list', attrs: {}, content: targets.map((t) => userElement(t, protocols)) },
        ],
      },
    ],
  });
  const list = getBinaryNodeChild(getBinaryNodeChild(result, 'usync'), 'list');
  return getBinaryNodeChildren(list, 'user').map((u) => parseUser(u, protocols));
}
