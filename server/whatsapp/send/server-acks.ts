import type { BinaryNode, WASocket } from 'baileys';
import { ApiError } from '../../http/errors';

/** How long a send waits for WhatsApp's ack of its message before answering 504. */
const ACK_TIMEOUT_MS = 15_000;
/** Acks that came before anyone waited for them (the wait starts after the relay returns). */
const EARLY_MAX = 2000;

interface AckBook {
  waiting: Map<string, () => void>;
  early: Set<string>;
}

const books = new WeakMap<WASocket, AckBook>();

function bookOf(sock: WASocket): AckBook {
  let book = books.get(sock);
  if (book) return book;
  const created: AckBook = { waiting: new Map(), early: new Set() };
  (sock.ws as unknown as { on(event: string, listener: (node: BinaryNode) => void): void }).on('CB:ack,class:message', (node) => {
    const id = node.attrs.id;
    if (!id || node.attrs.error) return;
    const waiter = created.waiting.get(id);
    if (waiter) return waiter();
    created.early.add(id);
    if (created.early.size > EARLY_MAX) created.early.delete(created.early.values().next().value!);
  });
  books.set(sock, created);
  book = created;
  return book;
}

/** Starts noting WhatsApp's acks of the socket's messages (call once, before the first send). */
export function watchServerAcks(sock: WASocket): void {
  bookOf(sock);
}

/**
 * Settles once WhatsApp acknowledged message `id` (its server has it, and delivers it from there
 * even if this process dies now). A relay only means the frame was queued on the connection: a
 * send answered before the ack could be lost with the process. 504 after 15 s without an ack.
 */
export function serverAck(sock: WASocket, id: string): Promise<void> {
  const book = bookOf(sock);
  if (book.early.delete(id)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      book.waiting.delete(id);
      reject(new ApiError(504, 'WhatsApp did not acknowledge the message in time: send it again with the same Id to be sure it is sent once'));
    }, ACK_TIMEOUT_MS);
    book.waiting.set(id, () => {
      clearTimeout(timer);
      book.waiting.delete(id);
      resolve();
    });
  });
}
