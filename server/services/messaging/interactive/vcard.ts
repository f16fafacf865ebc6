import type { VcardFields } from './structured-inputs';

/** Escapes a vCard 3.0 text value (RFC 2426 §4: backslash, comma, semicolon, newline). */
export function escapeVcard(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');
}

/** The digits of a phone number (`waid`, the WhatsApp number the card links to). */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '');

/**
 * A vCard 3.0 as WhatsApp phones write them: FN and N, ORG, TITLE, `TEL;type=CELL;type=VOICE;waid=<digits>:+<digits>`
 * (the waid makes "Message"/"Add" work on the phone), EMAIL, URL, NOTE; CRLF line ends.
 */
export function buildVcard(card: VcardFields): string {
  const digits = phoneDigits(card.Phone);
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escapeVcard(card.FullName)}`, `N:;${escapeVcard(card.FullName)};;;`];
  if (card.Organization) lines.push(`ORG:${escapeVcard(card.Organization)}`);
  if (card.Title) lines.push(`TITLE:${escapeVcard(card.Title)}`);
  lines.push(`TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`);
  if (card.Email) lines.push(`EMAIL;type=INTERNET:${escapeVcard(card.Email)}`);
  if (card.Url) lines.push(`URL:${card.Url}`);
  if (card.Note) lines.push(`NOTE:${escapeVcard(card.Note)}`);
  lines.push('END:VCARD');
  return lines.join('\r\n');
}
