/**
 * Which phone numbers are on WhatsApp, as one session learnt it (WhatsApp's usync `contact`
 * protocol, Baileys' `onWhatsApp`). A number WhatsApp knows is remembered for a long time, one it
 * did not know only briefly (it may register soon). Concurrent first sends to a number share one
 * query. A remembered answer is a Map lookup: sends to known numbers pay nothing else.
 */

/** Asks WhatsApp whether the phone-number JID is registered. */
export type RecipientQuery = (jid: string) => Promise<boolean>;

export interface RecipientCheckTtl {
  /** How long a number WhatsApp knows is remembered (ms). */
  knownMs: number;
  /** How long a number WhatsApp did not know is remembered before it is asked again (ms). */
  unknownMs: number;
}

export const KNOWN_RECIPIENT_TTL_MS = 24 * 3600_000;

export class RecipientDirectory {
  private readonly answers = new Map<string, { onWhatsApp: boolean; until: number }>();
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly ttl: RecipientCheckTtl,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  /** The remembered answer (a boolean, no promise) or the one shared query for this number. */
  isOnWhatsApp(jid: string, query: RecipientQuery): boolean | Promise<boolean> {
    const known = this.answers.get(jid);
    if (known !== undefined && known.until > this.now()) return known.onWhatsApp;
    const pending = this.asking.get(jid);
    if (pending) return pending;
    const asked = query(jid)
      .then((onWhatsApp) => {
        this.remember(jid, onWhatsApp);
        return onWhatsApp;
      })
      .finally(() => this.asking.delete(jid));
    this.asking.set(jid, asked);
    return asked;
  }

  /** Records an answer WhatsApp gave elsewhere (e.g. to `/user/check`), as if a send had asked. */
  remember(jid: string, onWhatsApp: boolean): void {
    this.answers.delete(jid);
    if (this.answers.size >= this.maxEntries) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(jid, { onWhatsApp, until: this.now() + (onWhatsApp ? this.ttl.knownMs : this.ttl.unknownMs) });
  }
}
