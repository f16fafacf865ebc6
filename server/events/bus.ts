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

  constructor(private readonly logger: Logger) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Builds and publishes an event; resolves once every consumer has taken it. */
  async publish<T extends EventType>(sessionId: string, type: T, data: EventPayloads[T]): Promise<WagoEvent<T>> {
    const event: WagoEvent<T> = { id: randomUUID(), type, sessionId, timestamp: new Date().toISOString(), data };
    await this.dispatch(event);
    return event;
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
