import { EVENT_TYPES, isEventType, type EventType } from '../events/types';

/** A socket.io client's choice of event types: `null` means every type. */
export type EventChoice = EventType[] | null;

/**
 * Reads the event types a token-authenticated client asked for (`auth.events`: an array of
 * types or a comma-separated string; absent, empty or "All" for every type). Throws a message
 * naming the field and the unknown type, which the client gets as its `connect_error`.
 */
export function parseEventChoice(raw: unknown): EventChoice {
  if (raw === undefined || raw === null) return null;
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!list) throw new Error('events: expected an array of event types or a comma-separated string');
  const names = list.map((name) => (typeof name === 'string' ? name.trim() : name)).filter((name) => name !== '');
  if (names.length === 0 || names.includes('All')) return null;
  const chosen = new Set<EventType>();
  for (const name of names) {
    if (typeof name !== 'string' || !isEventType(name)) {
      throw new Error(`events: unknown event type ${JSON.stringify(name)} (known: ${EVENT_TYPES.join(', ')}, or All)`);
    }
    chosen.add(name);
  }
  return [...chosen];
}
