import { isLidUser, jidNormalizedUser, type BinaryNode } from 'baileys';

/** How many LID ↔ phone-number pairs a session keeps from group notifications (the oldest go first). */
const MAX_PAIRS = 5_000;

/**
 * LID ↔ phone-number pairs named by group notifications (the actor's `participant` /
 * `participant_pn`, each member's `jid` / `phone_number`). Baileys drops the actor's phone number
 * on the way to its group events, and may not know a member's mapping yet.
 */
export class NotifiedPairs {
  private readonly byJid = new Map<string, string>();

  /** Records the pairs a notification names; returns them (LID first). */
  learn(node: BinaryNode): Array<{ lid: string; pn: string }> {
    const found: Array<{ lid: string; pn: string }> = [];
    const add = (a: string | undefined, b: string | undefined) => {
      if (!a || !b) return;
      const [x, y] = [jidNormalizedUser(a), jidNormalizedUser(b)];
      const lid = isLidUser(x) ? x : isLidUser(y) ? y : undefined;
      const pn = lid === x ? y : x;
      if (!lid || isLidUser(pn) || this.byJid.get(lid) === pn) return;
      this.remember(lid, pn);
      found.push({ lid, pn });
    };
    add(node.attrs.participant, node.attrs.participant_pn);
    const visit = (n: BinaryNode) => {
      for (const c of Array.isArray(n.content) ? (n.content as BinaryNode[]) : []) {
        if (c.tag === 'participant') add(c.attrs.jid, c.attrs.phone_number ?? c.attrs.lid);
        else if (c.tag === 'group') add(c.attrs.creator, c.attrs.creator_pn);
        visit(c);
      }
    };
    visit(node);
    return found;
  }

  /** The other form of a user JID (the phone number of a LID, or the LID of a phone number), when named. */
  other(jid: string): string | undefined {
    return this.byJid.get(jidNormalizedUser(jid));
  }

  private remember(lid: string, pn: string): void {
    for (const [key, value] of [[lid, pn], [pn, lid]]) {
      this.byJid.delete(key);
      this.byJid.set(key, value);
    }
    while (this.byJid.size > MAX_PAIRS * 2) this.byJid.delete(this.byJid.keys().next().value!);
  }
}
