import { isJidNewsletter, proto, type BaileysEventMap, type WAMessage, type WASocket } from 'baileys';
import type { EventPayloads, EventType } from '../../events/types';
import type { Logger } from '../../logger';
import { userRef } from './jid';
import { lidResolverOf, type LidResolver } from '../lid-memo';
import { mapFoldedReceipts, mapMessage, mapStatusUpdate, mapUserReceipt } from './map-messages';
import { isDeviceSyncMessage } from './device-sync';
import { contactEventHandlers } from './contact-events';
import { labelEventHandlers } from './label-events';
import { newsletterEventHandlers, newsletterPost } from './newsletter-events';
import { metrics } from '../../metrics';

export type Publish = <T extends EventType>(type: T, data: EventPayloads[T]) => Promise<unknown>;

/** The session settings that shape what is published (see session-behaviour.ts). */
export interface EventFilter {
  /** Events of this chat are dropped: neither stored nor emitted. */
  ignores(chatJid: string | null | undefined): boolean;
  /** Runs after an incoming message was published (read on receipt). */
  onIncoming(msg: WAMessage, type: string): Promise<void>;
}

/** How incoming messages are taken in: their events under stable ids, their receipts after the store. */
export interface MessageIntake {
  /**
   * Publishes a received message's event under an id derived from the message, so a message
   * WhatsApp delivers again is the same event; resolves once the event is written, with a promise
   * (`stored`) that settles when the message is stored.
   */
  publishReceived(data: EventPayloads['Message']): Promise<{ stored: Promise<void> }>;
  /** The message was handled: its delivery receipt goes to WhatsApp once `stored` settles. */
  handled(id: string | null | undefined, stored?: Promise<void>): void;
}

/**
 * Turns Baileys' data events into WaGo's typed events (connection events are the session
 * runner's). Baileys' batches are processed one after another, in order; a mapping failure is logged with the
 * event name and never stops the stream.
 */
export function bindDataEvents(sock: WASocket, publish: Publish, logger: Logger, intake?: MessageIntake, filter?: EventFilter): void {
  const ignored = (jid: string | null | undefined) => filter?.ignores(jid) ?? false;
  const resolver: LidResolver | undefined = sock.signalRepository?.lidMapping ? lidResolverOf(sock) : undefined;
  const pushedContacts = contactEventHandlers(publish, resolver);
  const labels = labelEventHandlers(publish, resolver);
  const newsletters = newsletterEventHandlers(publish);
  /** Publishes one message's events; resolves with a promise of its being stored. */
  const takeMessage = async (msg: WAMessage, type: string): Promise<{ stored?: Promise<void> }> => {
    if (msg.key.remoteJid === 'status@broadcast' && !msg.message) return {};
    if (isDeviceSyncMessage(msg)) return {};
    // Ignored by the session's settings (groups, status): neither stored nor emitted; acknowledged.
    if (ignored(msg.key.remoteJid)) return {};
    if (isJidNewsletter(msg.key.remoteJid ?? undefined)) {
      await publish('Newsletter', newsletterPost(msg));
      return {};
    }
    // A message that could not be decrypted (yet): Baileys has asked the sender to send it again,
    // and it arrives under the same id. Announcing the empty placeholder would give the message two
    // events (and store it without content), so only the message itself is an event.
    if (!msg.message && msg.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) {
      logger.info({ id: msg.key.id, error: msg.messageStubParameters?.[0] }, 'a message could not be decrypted: waiting for the sender to send it again');
      return {};
    }
    const data = await mapMessage(msg, type, resolver);
    let stored: Promise<void> | undefined;
    if (intake && !msg.key.fromMe) ({ stored } = await intake.publishReceived(data));
    else await publish('Message', data);
    if (!msg.key.fromMe) metrics()?.messagesReceived.inc();
    for (const receipt of await mapFoldedReceipts(msg, resolver)) await publish('ReadReceipt', receipt);
    if (filter) await filter.onIncoming(msg, type);
    return { stored };
  };
  const handlers: { [K in keyof BaileysEventMap]?: (data: BaileysEventMap[K]) => Promise<void> } = {
    'messages.upsert': async ({ messages, type }) => {
      for (const msg of messages) {
        // Each message on its own: one that cannot be mapped does not hold back the others.
        let stored: Promise<void> | undefined;
        try {
          ({ stored } = await takeMessage(msg, type));
        } catch (error) {
          logger.error({ err: error, id: msg.key.id }, 'could not take in a WhatsApp message');
          // Not acknowledged: WhatsApp delivers it again at the next login.
          if (intake) stored = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        } finally {
          intake?.handled(msg.key.id, stored);
        }
      }
    },
    'messages.update': async (updates) => {
      for (const update of updates) {
        if (ignored(update.key.remoteJid)) continue;
        const receipt = await mapStatusUpdate(update, resolver);
        if (receipt) await publish('ReadReceipt', receipt);
        else if (update.update.message || update.update.messageStubType) {
          await publish('MessageUpdate', { id: update.key.id ?? null, chat: await userRef(update.key.remoteJid, update.key.remoteJidAlt, resolver), update: JSON.parse(JSON.stringify(update.update)) as Record<string, unknown> });
        }
      }
    },
    'message-receipt.update': async (updates) => {
      for (const update of updates) {
        if (ignored(update.key.remoteJid)) continue;
        const receipt = await mapUserReceipt(update, resolver);
        if (receipt) await publish('ReadReceipt', receipt);
      }
    },
    'presence.update': async ({ id, presences }) => {
      const chat = await userRef(id, null, resolver);
      for (const [participant, data] of Object.entries(presences)) {
        const from = await userRef(participant, null, resolver);
        const state = data.lastKnownPresence;
        if (state === 'composing' || state === 'recording' || state === 'paused') {
          await publish('ChatPresence', { chat, from, state, media: state === 'recording' ? 'audio' : null });
        } else {
          await publish('Presence', { from, presence: state, lastSeen: data.lastSeen ?? null });
        }
      }
    },
    'messaging-history.set': async ({ chats, messages, contacts, syncType, progress }) => {
      await publish('HistorySync', { type: String(syncType ?? 'unknown'), chats: chats.length, messages: messages.length, contacts: contacts.length, progress: progress ?? null });
      await pushedContacts.history(contacts);
    },
    // The account read (or marked unread) a chat on its phone or another device: WhatsApp syncs it
    // as app state (markChatAsRead), which Baileys reports as the chat's unread count 0 (or -1).
    'chats.update': async (updates) => {
      for (const update of updates) {
        if (!update.id || (update.unreadCount !== 0 && update.unreadCount !== -1) || ignored(update.id)) continue;
        await publish('ChatRead', { chat: await userRef(update.id, null, resolver), read: update.unreadCount === 0 });
      }
    },
    'contacts.upsert': pushedContacts['contacts.upsert'],
    'contacts.update': pushedContacts['contacts.update'],
    'blocklist.update': pushedContacts['blocklist.update'],
    'labels.edit': labels['labels.edit'],
    'labels.association': labels['labels.association'],
    'newsletter.reaction': newsletters['newsletter.reaction'],
    'newsletter.view': async (data) => void (await publish('Newsletter', { kind: 'view', ...data })),
    'newsletter-participants.update': async (data) => void (await publish('Newsletter', { kind: 'participants', ...data })),
  };

  const handle = async (events: Partial<BaileysEventMap>): Promise<void> => {
    for (const name of Object.keys(events) as Array<keyof BaileysEventMap>) {
      const handler = handlers[name] as ((data: unknown) => Promise<void>) | undefined;
      if (!handler) continue;
      try {
        await handler(events[name]);
      } catch (error) {
        logger.error({ err: error, event: name }, 'could not map a WhatsApp event');
      }
    }
  };
  // Baileys starts each emitted batch without waiting for the previous one to be handled: chained
  // here, WaGo's events (and so the webhook outbox) keep the order in which WhatsApp's came.
  let previous: Promise<void> = Promise.resolve();
  sock.ev.process((events) => {
    previous = previous.then(() => handle(events));
    return previous;
  });
}
