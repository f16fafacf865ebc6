import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren, S_WHATSAPP_NET, type WABusinessProfile } from 'baileys';
import { badRequest, notFound } from '../../http/errors';
import { userJid } from '../users/lookup.service';
import { askWhatsApp, businessAccount } from './business-account';

/** Business profiles: read one, list WhatsApp's categories, change this account's description, address, email. */

export interface BusinessProfileAnswer {
  Jid: string;
  Description: string;
  Address: string | null;
  Email: string | null;
  Websites: string[];
  /** The profile's (first) category. */
  Category: string | null;
  BusinessHours: { Timezone: string | null; Config: Array<Record<string, string>> };
}

function answer(jid: string, p: WABusinessProfile): BusinessProfileAnswer {
  const hours = p.business_hours as { timezone?: string; business_config?: Array<Record<string, string>> } | undefined;
  return {
    Jid: p.wid ?? jid,
    Description: p.description ?? '',
    Address: p.address ?? null,
    Email: p.email ?? null,
    Websites: (p.website ?? []).filter((w): w is string => Boolean(w)),
    Category: p.category ?? null,
    BusinessHours: { Timezone: hours?.timezone ?? null, Config: hours?.business_config ?? [] },
  };
}

/** A business's profile (this account's without `Jid`); 404 when the user is not a business account. */
export async function businessProfile(sessionId: string, rawJid: string | undefined): Promise<BusinessProfileAnswer> {
  const account = await businessAccount(sessionId);
  if (!rawJid) return answer(account.jid, account.profile);
  const jid = userJid(rawJid, 'Jid');
  const profile = await account.sock.getBusinessProfile(jid);
  if (!profile) throw notFound(`Jid: ${rawJid} is not a WhatsApp Business account`);
  return answer(jid, profile);
}

export interface CategoriesAnswer {
  Categories: Array<{ Id: string; Name: string }>;
}

/** The categories WhatsApp offers a business profile (thrift iq, catkit typeahead with an empty query). */
export async function businessCategories(sessionId: string): Promise<CategoriesAnswer> {
  const { sock } = await businessAccount(sessionId);
  const result = await askWhatsApp(() =>
    sock.query({
      tag: 'iq',
      attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'fb:thrift_iq', smax_id: '2' },
      content: [{ tag: 'request', attrs: { type: 'catkit', op: 'profile_typeahead', v: '1' }, content: [{ tag: 'query', attrs: {}, content: '' }] }],
    }),
  );
  const list = getBinaryNodeChild(getBinaryNodeChild(result, 'response'), 'categories');
  return {
    Categories: getBinaryNodeChildren(list, 'category').map((c: BinaryNode) => ({ Id: c.attrs.id ?? '', Name: nodeText(c) })),
  };
}

const nodeText = (n: BinaryNode): string => (typeof n.content === 'string' ? n.content : n.content instanceof Uint8Array ? Buffer.from(n.content).toString('utf8') : '');

export type ProfileField = 'description' | 'address' | 'email';
const FIELD_NAMES: Record<ProfileField, string> = { description: 'Desc', address: 'Address', email: 'Email' };

/**
 * Sets one field of this account's business profile (a `w:biz` delta; an empty value clears it)
 * and answers the profile WhatsApp then holds.
 */
export async function updateBusinessProfile(sessionId: string, field: ProfileField, value: string): Promise<BusinessProfileAnswer> {
  const { sock, jid } = await businessAccount(sessionId);
  const name = FIELD_NAMES[field];
  await askWhatsApp(() => sock.updateBussinesProfile({ [field]: value }), {
    400: () => badRequest(`${name}: WhatsApp refused the value`),
  });
  const profile = await sock.getBusinessProfile(jid);
  if (!profile) throw new Error('WhatsApp no longer answers a business profile for this account after updating it');
  return answer(jid, profile);
}
