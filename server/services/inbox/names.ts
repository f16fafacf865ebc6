/** The phone number (digits) of a phone-number JID, else null (a LID, a group…). */
export function phoneOfJid(jid: string | null | undefined): string | null {
  if (!jid) return null;
  const [user, server] = jid.split('@');
  if (server !== 's.whatsapp.net' && server !== 'c.us') return null;
  const digits = user?.split(':')[0] ?? '';
  return /^\d+$/.test(digits) ? digits : null;
}
