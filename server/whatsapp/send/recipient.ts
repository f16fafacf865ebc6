import { jidNormalizedUser } from 'baileys';

const SERVERS = ['s.whatsapp.net', 'g.us', 'lid', 'newsletter', 'broadcast', 'c.us'];

/**
 * Turns a `Phone` value into a WhatsApp JID: a phone number in international format (digits,
 * optionally with +, spaces, dashes, parentheses) or a JID (user, group, LID, newsletter).
 * Returns an error message naming what is wrong, or the JID.
 */
export function parseRecipient(raw: string): { jid: string } | { error: string } {
  const value = raw.trim();
  if (value === '') return { error: 'must not be empty' };
  if (value.includes('@')) {
    const [user, server] = value.split('@');
    if (!user || !SERVERS.includes(server)) return { error: `must be a phone number or a WhatsApp JID (…@s.whatsapp.net, @g.us, @lid, @newsletter), got ${value}` };
    if (server === 'c.us') return { jid: jidNormalizedUser(`${user.split(':')[0]}@s.whatsapp.net`) };
    if (server === 's.whatsapp.net' && !/^\d{5,15}(:\d+)?$/.test(user)) return { error: `has an invalid phone number in ${value}` };
    return { jid: server === 's.whatsapp.net' || server === 'lid' ? jidNormalizedUser(value) : value };
  }
  const digits = value.replace(/[\s\-().+]/g, '');
  if (!/^\d+$/.test(digits)) return { error: `must be a phone number in international format (digits only) or a JID, got ${value}` };
  if (digits.length < 7 || digits.length > 15) return { error: `must have 7 to 15 digits, got ${digits.length}` };
  return { jid: `${digits}@s.whatsapp.net` };
}
