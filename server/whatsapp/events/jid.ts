import { isLidUser, jidNormalizedUser } from 'baileys';
import type { UserRef } from '../../events/types';
import type { LidResolver } from '../lid-memo';

/**
 * Builds the {jid, lid} pair events carry: `jid` is the phone-number JID, `lid` the LID, each
 * null when unknown. `alt` is the other form Baileys sometimes gives (remoteJidAlt/participantAlt).
 */
export async function userRef(id: string | null | undefined, alt: string | null | undefined, resolver: LidResolver | undefined): Promise<UserRef> {
  if (!id) return { jid: null, lid: null };
  const primary = jidNormalizedUser(id);
  const other = alt ? jidNormalizedUser(alt) : undefined;
  if (!primary.endsWith('@s.whatsapp.net') && !isLidUser(primary)) return { jid: primary, lid: null }; // groups, broadcasts, newsletters
  if (isLidUser(primary)) {
    const pn = other && !isLidUser(other) ? other : await safeLookup(() => resolver?.getPNForLID(primary));
    return { jid: pn ?? null, lid: primary };
  }
  const lid = other && isLidUser(other) ? other : await safeLookup(() => resolver?.getLIDForPN(primary));
  return { jid: primary, lid: lid ?? null };
}

async function safeLookup(lookup: () => Promise<string | null> | undefined): Promise<string | null> {
  const found = await lookup();
  return found ? jidNormalizedUser(found) : null;
}
