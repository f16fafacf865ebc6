import type { EventBus } from '../events/bus';
import type { WagoEvent } from '../events/types';
import type { Logger } from '../logger';
import type { Prisma } from '../generated/prisma/client';
import { messageRepository, type StatusUpdate, type StoredMessageInput } from '../repositories/message.repository';
import { inboxRepository } from '../repositories/inbox.repository';
import { retryWhileUnreachable } from '../db/transient';

interface UserRefLike {
  jid: string | null;
  lid: string | null;
}

interface MessageEventData {
  id: string | null;
  chat: UserRefLike;
  from: UserRefLike | null;
  fromMe: boolean;
  timestamp: number;
  type: string | null;
  text: string | null;
  status: string | null;
  message: Record<string, unknown> | null;
}

interface ChatReadEventData {
  chat: UserRefLike;
  read: boolean;
}

interface ReceiptEventData {
  messageIds: string[];
  type: string;
  sender: UserRefLike;
  timestamp: number;
}

/** One batch's write: settles when its statement committed (or failed for good). */
interface BatchWrite {
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function batchWrite(): BatchWrite {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Nobody may wait for a batch of receipts only: its failure is logged below.
  done.catch(() => undefined);
  return { done, resolve, reject };
}

/**
 * Keeps the message store: every Message event is stored, every receipt moves its message's
 * status forward (sent → delivered → read → played) and is kept in its history. Writes are
 * batched (one statement per 40 ms at most) so a burst of messages costs few round trips. A write
 * the database cannot take now (it is restarting, say) is tried again until it can; each Message
 * event's write is announced to the bus (`bus.settled(event)`), so its WhatsApp receipt can wait.
 */
export function startMessageStore(bus: EventBus, logger: Logger, flushMs = 40): { stop(): Promise<void> } {
  const log = logger.child({ component: 'message-store' });
  let messages: StoredMessageInput[] = [];
  let updates: StatusUpdate[] = [];
  /** Chats read elsewhere: their read mark moves to their newest message once the batch is in. */
  let reads: Array<{ sessionId: string; chatJid: string }> = [];
  let current = batchWrite();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let stopped = false;

  const flush = () => {
    timer = undefined;
    const batch = { messages, updates, reads, write: current };
    messages = [];
    updates = [];
    reads = [];
    current = batchWrite();
    flushing = flushing.then(() =>
      retryWhileUnreachable(
        async () => {
          await messageRepository.writeBatch(batch.messages, batch.updates);
          for (const r of batch.reads) await inboxRepository.markReadToNewest(r.sessionId, r.chatJid);
        },
        { logger: log, what: 'storing messages', stopped: () => stopped },
      ).then(
        () => batch.write.resolve(),
        (error: unknown) => {
          log.error({ err: error, messages: batch.messages.length, updates: batch.updates.length }, 'could not store messages');
          batch.write.reject(error);
        },
      ),
    );
  };
  const schedule = () => {
    if (messages.length + updates.length + reads.length >= 500) flush();
    else timer ??= setTimeout(flush, flushMs);
  };

  const unsubscribe = bus.subscribe((event: WagoEvent) => {
    if (event.type === 'Message') {
      const data = event.data as unknown as MessageEventData;
      const chatJid = data.chat.jid ?? data.chat.lid;
      if (!data.id || !chatJid) return;
      // Reactions, edits, deletions and WhatsApp's own protocol traffic (key shares, history
      // notices) are not messages of the chat: message-changes applies them to their target.
      if (data.type === 'protocolMessage' || data.type === 'reactionMessage') return;
      messages.push({
        sessionId: event.sessionId,
        messageId: data.id,
        chatJid,
        chatLid: data.chat.lid,
        senderJid: data.fromMe ? null : (data.from?.jid ?? null),
        senderLid: data.fromMe ? null : (data.from?.lid ?? null),
        fromMe: data.fromMe,
        type: data.type,
        text: data.text,
        content: (data.message as Prisma.InputJsonValue | null) ?? null,
        // An own message is in the store once WaGo handed it to WhatsApp: "sent". A receipt Baileys
        // folded into it is its own ReadReceipt event (mapFoldedReceipts), which moves it on and
        // is kept in the history with who sent it.
        status: data.fromMe ? (data.status === 'failed' ? 'failed' : 'sent') : 'received',
        timestamp: new Date(data.timestamp * 1000),
      });
      bus.writeLater(event, current.done);
      schedule();
    } else if (event.type === 'ReadReceipt') {
      const data = event.data as unknown as ReceiptEventData;
      updates.push({
        sessionId: event.sessionId,
        messageIds: data.messageIds,
        status: data.type,
        participant: data.sender.jid ?? data.sender.lid,
        at: new Date(data.timestamp * 1000),
      });
      schedule();
    } else if (event.type === 'ChatRead') {
      const data = event.data as unknown as ChatReadEventData;
      const chatJid = data.chat.jid ?? data.chat.lid;
      if (!data.read || !chatJid) return;
      reads.push({ sessionId: event.sessionId, chatJid });
      schedule();
    }
  });

  return {
    async stop() {
      unsubscribe();
      clearTimeout(timer);
      flush();
      // The last batch is tried once more at most: a database still away does not hold the shutdown.
      stopped = true;
      await flushing;
    },
  };
}
