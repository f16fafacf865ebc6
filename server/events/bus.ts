import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { EventPayloads, EventType, WagoEvent } from './types';

export type EventListener = (event: WagoEvent) => void | Promise<void>;

/**
 * The in-process event bus: producers publish, consumers subscribe; adding a consumer changes
 * no producer. One instance per process, held by the runtime registry. A consumer's failure is
 * logged and never stops the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  /** Writes consumers do after taking an event (batched), by event: see `writeLater`. */
  private readonly later = new WeakMap<WagoEvent, Array<Promise<void>>>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Builds and publishes an event; resolves once every consumer has taken it. `id` is the event's
   * id when the producer derives it (the same WhatsApp message delivered twice is one event).
   */
  async publish<T extends EventType>(sessionId: string, type: T, data: EventPayloads[T], opts: { id?: string } = {}): Promise<WagoEvent<T>> {
    const event: WagoEvent<T> = { id: opts.id ?? randomUUID(), type, sessionId, timestamp: new Date().toISOString(), data };
    await this.dispatch(event);
    return event;
  }

  /** A consumer that writes `event` after taking it (in a batch) says here when that write is done. */
  writeLater(event: WagoEvent, written: Promise<void>): void {
    const list = this.later.get(event);
    if (list) list.push(written);
    else this.later.set(event, [written]);
  }

  /**
   * Settles once every consumer's write of a published event is done (the outbox's is done when
   * `publish` resolves; the message store's when its batch commits); rejects if one failed.
   */
  async settled(event: WagoEvent): Promise<void> {
    await Promise.all(this.later.get(event) ?? []);
  }

  async dispatch(event: WagoEvent): Promise<void> {
    const results = await Promise.allSettled([...this.listeners].map(async (listener) => listener(event)));
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.error({ err: result.reason, eventType: event.type, sessionId: event.sessionId }, 'event consumer failed');
      }
    }
  }
}
