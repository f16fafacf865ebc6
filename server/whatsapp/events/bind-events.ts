import { isJidNewsletter, type BaileysEventMap, type WAMessage, type WASocket } from 'baileys';
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

/**
 * Turns Baileys' data events into WaGo's typed events (connection events are the session
 * runner's). Baileys' batches are processed one after another, in order; a mapping failure is logged with the
 * event name and never stops the stream.
 */
export function bindDataEvents(sock: WASocket, publish: Publish, logger: Logger, filter?: EventFilter): void {
  const ignored = (jid: string | null | undefined) => filter?.ignores(jid) ?? false;
  const resolver: LidResolver | undefined = sock.signalRepository?.lidMapping ? lidResolverOf(sock) : undefined;
  const pushedContacts = contactEventHandlers(publish, resolver);
  const labels = labelEventHandlers(publish, resolver);
  const newsletters = newsletterEventHandlers(publish);
  const handlers: { [K in keyof BaileysEventMap]?: (data: BaileysEventMap[K]) => Promise<void> } = {
    'messages.upsert': async ({ messages, type }) => {
      for (const msg of messages) {
        if (msg.key.remoteJid === 'status@broadcast' && !msg.message) continue;
        if (isDeviceSyncMessage(msg)) continue;
        if (ignored(msg.key.remoteJid)) continue;
        if (isJidNewsletter(msg.key.remoteJid ?? undefined)) {
          await publish('Newsletter', newsletterPost(msg));
          continue;
        }
        await publish('Message', await mapMessage(msg, type, resolver));
        if (!msg.key.fromMe) metrics()?.messagesReceived.inc();
        for (const receipt of await mapFoldedReceipts(msg, resolver)) await publish('ReadReceipt', receipt);
        if (filter) await filter.onIncoming(msg, type);
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
