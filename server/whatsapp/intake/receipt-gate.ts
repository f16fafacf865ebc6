import type { WAMessageKey } from 'baileys';
import type { Logger } from '../../logger';

type SendReceipt = () => Promise<void>;

/**
 * Holds the delivery receipts of one connection's incoming messages until each message is
 * durable. WhatsApp keeps a message for a device until the device acknowledges it (its delivery
 * receipt) and delivers it again at the next login otherwise; Baileys sends that receipt before it
 * hands the message over, so a crash in between lost it. Here the receipt goes out only once the
 * message's event is in the webhook outbox and the message in the store; if the process dies or
 * the connection drops first, WhatsApp delivers the message again, and the store and the outbox
 * take it once (message id and event id are the same).
 */
export class ReceiptGate {
  private readonly held = new Map<string, SendReceipt>();

  constructor(private readonly log: Logger) {}

  /** Baileys' hook (`deferReceipt`): keeps the receipt; Baileys goes on to hand the message over. */
  readonly defer = (key: WAMessageKey, send: SendReceipt): Promise<void> => {
    if (!key.id) return send();
    this.held.set(key.id, send);
    return Promise.resolve();
  };

  /** Receipts held now (for tests and the log). */
  get size(): number {
    return this.held.size;
  }

  /**
   * The message `id` was handed over and its event written; `stored` settles when it is in the
   * store. Its receipt goes out then; if storing failed, it is withheld (WhatsApp delivers again).
   */
  release(id: string | null | undefined, stored: Promise<void> = Promise.resolve()): void {
    if (!id) return;
    const send = this.held.get(id);
    if (!send) return;
    stored.then(
      () => {
        if (this.held.get(id) !== send) return;
        this.held.delete(id);
        send().catch((error: unknown) => this.log.debug({ err: error, id }, 'receipt not sent (the connection closed): WhatsApp delivers the message again'));
      },
      (error: unknown) => {
        if (this.held.get(id) === send) this.held.delete(id);
        this.log.warn({ err: error, id }, 'message not stored: its receipt is withheld, so WhatsApp delivers it again at the next login');
      },
    );
  }
}
