import type { EventBus } from '../events/bus';
import type { ContactUpdateData, WagoEvent } from '../events/types';
import type { Logger } from '../logger';
import { contactRepository, type ContactPatch } from '../repositories/contact.repository';

/** What a ContactUpdate event teaches the address book (nothing when it names no user). */
export function contactPatchOf(sessionId: string, data: ContactUpdateData): ContactPatch | undefined {
  const jid = data.user.jid ?? data.user.lid;
  if (!jid) return undefined;
  return {
    sessionId,
    jid,
    lid: data.user.lid,
    pushName: data.pushName,
    businessName: data.businessName,
    fullName: data.fullName,
    saved: data.savedInAddressBook === true,
  };
}

/**
 * Keeps the session address books: every ContactUpdate event (pushed contacts, app-state contact
 * actions, senders' push names) is stored. Writes are batched like the message store's (one pass
 * per `flushMs` at most, patches of the same user merged), so a burst of messages with push names
 * costs a statement, not one per message, and never holds up the event stream.
 */
export interface ContactStore {
  /** Queues a change behind those already queued (so changes of one user land in order). */
  record(patch: ContactPatch): void;
  /** Resolves once what was queued so far is written. */
  flushed(): Promise<void>;
  stop(): Promise<void>;
}

export function startContactStore(bus: EventBus, logger: Logger, flushMs = 100): ContactStore {
  const log = logger.child({ component: 'contact-store' });
  let pending: ContactPatch[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    flushing = flushing.then(() =>
      contactRepository.upsertMany(batch).catch((error: unknown) => {
        log.error({ err: error, contacts: batch.length }, 'could not store contacts');
      }),
    );
  };

  const record = (patch: ContactPatch) => {
    pending.push(patch);
    if (pending.length >= 500) flush();
    else timer ??= setTimeout(flush, flushMs);
  };

  const unsubscribe = bus.subscribe((event: WagoEvent) => {
    if (event.type !== 'ContactUpdate') return;
    const patch = contactPatchOf(event.sessionId, event.data as ContactUpdateData);
    if (patch) record(patch);
  });

  return {
    record,
    async flushed() {
      clearTimeout(timer);
      flush();
      await flushing;
    },
    async stop() {
      unsubscribe();
      clearTimeout(timer);
      flush();
      await flushing;
    },
  };
}
