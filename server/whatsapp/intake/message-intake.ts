import type { EventPayloads, EventType, WagoEvent } from '../../events/types';
import { stableEventId } from '../../events/stable-id';
import type { MessageIntake } from '../events/bind-events';
import type { ReceiptGate } from './receipt-gate';

export interface IntakeDeps {
  publish: <T extends EventType>(sessionId: string, type: T, data: EventPayloads[T], opts?: { id?: string }) => Promise<WagoEvent>;
  /** Settles when every consumer's write of the event is done (see EventBus.settled). */
  settled: (event: WagoEvent) => Promise<void>;
}

/**
 * A session's intake of received messages: each one's event id is derived from the session, the
 * chat and the WhatsApp message id, and its delivery receipt waits in `gate` until it is stored.
 */
export function messageIntake(sessionId: string, deps: IntakeDeps, gate: ReceiptGate): MessageIntake {
  return {
    async publishReceived(data) {
      const chat = (data.chat as { jid?: string | null; lid?: string | null } | null) ?? null;
      const subject = `${chat?.jid ?? chat?.lid ?? ''}/${String(data.id ?? '')}`;
      const event = await deps.publish(sessionId, 'Message', data, { id: stableEventId(sessionId, 'Message', subject) });
      return { stored: deps.settled(event) };
    },
    handled(id, stored) {
      gate.release(id, stored);
    },
  };
}
