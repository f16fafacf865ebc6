import type { BaileysEventMap, Contact } from 'baileys';
import type { ContactUpdateData } from '../../events/types';
import type { LidResolver } from '../lid-memo';
import type { Publish } from './bind-events';
import { userRef } from './jid';

/** Push names remembered per session, so a sender's name is announced when it changes, not with every message. */
const MAX_REMEMBERED = 20_000;

/**
 * Contact events: pushed contacts (phone address book, app-state contact actions, history sync)
 * and senders' push names become ContactUpdate; blocklist changes become BlocklistChange.
 */
export function contactEventHandlers(publish: Publish, resolver: LidResolver | undefined) {
  const pushNames = new Map<string, string>();

  const refOf = (c: Partial<Contact>) => {
    const id = c.id ?? c.phoneNumber ?? c.lid;
    const alt = c.id?.endsWith('@lid') ? (c.phoneNumber ?? null) : (c.lid ?? null);
    return userRef(id, alt, resolver);
  };

  /** Publishes a push name only when it is new for the user. */
  const freshPushName = (key: string | null, name: string | undefined): string | null => {
    if (!key || !name || pushNames.get(key) === name) return null;
    pushNames.delete(key);
    pushNames.set(key, name);
    if (pushNames.size > MAX_REMEMBERED) pushNames.delete(pushNames.keys().next().value!);
    return name;
  };

  const pushed = async (contacts: Array<Partial<Contact>>, source: 'contacts' | 'history') => {
    for (const c of contacts) {
      const user = await refOf(c);
      if (!user.jid && !user.lid) continue;
      const data: ContactUpdateData = {
        user,
        fullName: c.name ?? null,
        pushName: c.notify ?? null,
        businessName: c.verifiedName ?? null,
        savedInAddressBook: c.name ? true : null,
        picture: null,
        source,
      };
      if (c.notify) freshPushName(user.jid ?? user.lid, c.notify);
      if (data.fullName || data.pushName || data.businessName || user.lid) await publish('ContactUpdate', data);
    }
  };

  return {
    'contacts.upsert': (contacts: BaileysEventMap['contacts.upsert']) => pushed(contacts, 'contacts'),
    /** History sync's contacts (when the phone sends them). */
    history: (contacts: Contact[]) => pushed(contacts, 'history'),
    'contacts.update': async (updates: BaileysEventMap['contacts.update']) => {
      for (const u of updates) {
        const user = await refOf(u);
        if (!user.jid && !user.lid) continue;
        if (u.imgUrl === 'changed' || u.imgUrl === 'removed') {
          await publish('ContactUpdate', { user, fullName: null, pushName: null, businessName: null, savedInAddressBook: null, picture: u.imgUrl, source: 'picture' });
          continue;
        }
        const pushName = freshPushName(user.jid ?? user.lid, u.notify);
        const name = u.name ?? null;
        if (!pushName && !name) continue;
        await publish('ContactUpdate', { user, fullName: name, pushName, businessName: u.verifiedName ?? null, savedInAddressBook: name ? true : null, picture: null, source: 'message' });
      }
    },
    'blocklist.update': async ({ blocklist, type }: BaileysEventMap['blocklist.update']) => {
      const users = await Promise.all(blocklist.map((jid) => userRef(jid, null, resolver)));
      await publish('BlocklistChange', { action: type === 'add' ? 'block' : 'unblock', users });
    },
  };
}
