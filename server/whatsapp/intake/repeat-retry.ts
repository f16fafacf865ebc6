import { encodeBigEndian, type BinaryNode, type WAMessageKey, type WASocket } from 'baileys';
import type { Logger } from '../../logger';
import { messageRepository } from '../../repositories/message.repository';

/** Retry receipts per message before WaGo gives up on it (WhatsApp's senders answer five). */
const MAX_RETRIES = 5;

/**
 * For a message WhatsApp delivers again that can no longer be decrypted (its key was used when it
 * first arrived, and the process died before storing it): unless the store has it, asks the sender
 * for it again with a retry receipt, as WhatsApp clients do for a message they cannot read; the
 * sender re-encrypts it and it arrives under the same id. Resolves true when it asked (Baileys
 * then does not drop the message as a duplicate).
 */
export function askAgainForRepeats(sessionId: string, socket: () => WASocket | undefined, log: Logger) {
  const asked = new Map<string, number>();
  return async (node: BinaryNode, key: WAMessageKey): Promise<boolean> => {
    const id = node.attrs.id;
    const sock = socket();
    if (!id || !sock || key.fromMe) return false;
    if (await messageRepository.hasReceived(sessionId, id)) return false;
    const count = (asked.get(id) ?? 0) + 1;
    if (count > MAX_RETRIES) {
      log.warn({ id, from: node.attrs.from }, 'a message delivered again could not be decrypted after retries: it is dropped');
      asked.delete(id);
      return false;
    }
    asked.set(id, count);
    const receipt: BinaryNode = {
      tag: 'receipt',
      attrs: { id, type: 'retry', to: node.attrs.from!, ...(node.attrs.participant ? { participant: node.attrs.participant } : {}) },
      content: [
        { tag: 'retry', attrs: { count: String(count), id, t: node.attrs.t ?? String(Math.floor(Date.now() / 1000)), v: '1' } },
        { tag: 'registration', attrs: {}, content: encodeBigEndian(sock.authState.creds.registrationId) },
      ],
    };
    log.info({ id, from: node.attrs.from, count }, 'message delivered again after a restart, before it was stored: asking the sender for it again');
    await sock.sendNode(receipt);
    return true;
  };
}
