import type { EventBus } from '../events/bus';
import type { WagoEvent } from '../events/types';
import type { Logger } from '../logger';
import type { Prisma } from '../generated/prisma/client';
import { messageRepository, type StatusUpdate, type StoredMessageInput } from '../repositories/message.repository';

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

interface ReceiptEventData {
  messageIds: string[];
  type: string;
  sender: UserRefLike;
  timestamp: number;
}

/**
 * Keeps the message store: every Message event is stored, every receipt moves its message's
 * status forward (sent → delivered → read → played) and is kept in its history. Writes are
 * batched (one statement per 40 ms at most) so a burst of messages costs few round trips.
 */
export function startMessageStore(bus: EventBus, logger: Logger, flushMs = 40): { stop(): Promise<void> } {
  const log = logger.child({ component: 'message-store' });
  let messages: StoredMessageInput[] = [];
  let updates: StatusUpdate[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    const batch = { messages, updates };
    messages = [];
    updates = [];
    flushing = flushing.then(() =>
      messageRepository.writeBatch(batch.messages, batch.updates).catch((error: unknown) => {
        log.error({ err: error, messages: batch.messages.length, updates: batch.updates.length }, 'could not store messages');
      }),
    );
  };
  const schedule = () => {
    if (messages.length + updates.length >= 500) flush();
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
    }
  });

  return {
    async stop() {
      unsubscribe();
      clearTimeout(timer);
      flush();
      await flushing;
    },
  };
}
