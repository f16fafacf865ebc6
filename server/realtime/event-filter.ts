import { canonicalSubscription, unknownEventTypeMessage, type EventType } from '../events/types';

/** A socket.io client's choice of event types: `null` means every type. */
export type EventChoice = EventType[] | null;

/**
 * Reads the event types a token-authenticated client asked for (`auth.events`: an array of
 * types or a comma-separated string; absent, empty or "All" for every type), by the same rules
 * as a webhook's `Events`. Throws a message naming the field and the unknown type, which the
 * client gets as its `connect_error`.
 */
export function parseEventChoice(raw: unknown): EventChoice {
  if (raw === undefined || raw === null) return null;
  const list: unknown[] | undefined = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!list?.every((name): name is string => typeof name === 'string')) {
    throw new Error('events: expected an array of event type names or a comma-separated string');
  }
  const names = list.map((name) => name.trim()).filter((name) => name !== '');
  const checked = canonicalSubscription(names);
  if ('unknownAt' in checked) throw new Error(unknownEventTypeMessage('events', names, checked.unknownAt));
  return checked.names.length === 0 || checked.names[0] === 'All' ? null : (checked.names as EventType[]);
}
