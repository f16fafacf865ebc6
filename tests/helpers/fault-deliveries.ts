import type { ReceivedRequest } from './webhook-receiver';

/** The message id a delivery carries (one of `ids`), if any. */
export function messageOf(raw: string, ids: string[]): string | undefined {
  return ids.find((id) => raw.includes(id));
}

/** What a webhook receiver got for a set of sent messages. */
export interface DeliveryTally {
  /** The requests tallied, in arrival order. */
  requests: ReceivedRequest[];
  /** Requests that carry none of the messages. */
  strays: ReceivedRequest[];
  /** Each message's event ids, over every request that carried it. */
  eventIds: Map<string, Set<string>>;
  /** Requests under an event id that an earlier request for the same message already carried. */
  repeats: ReceivedRequest[];
  /** The messages of the requests answered 2xx. */
  delivered: Set<string>;
}

/** Sorts `requests` (in arrival order) by the message of `sent` each carries. */
export function tallyDeliveries(requests: ReceivedRequest[], sent: string[]): DeliveryTally {
  const tally: DeliveryTally = { requests: [...requests], strays: [], eventIds: new Map(), repeats: [], delivered: new Set() };
  for (const r of requests) {
    const m = messageOf(r.raw, sent);
    if (!m) {
      tally.strays.push(r);
      continue;
    }
    const seen = tally.eventIds.get(m) ?? new Set<string>();
    if (seen.has(r.eventId)) tally.repeats.push(r);
    tally.eventIds.set(m, seen.add(r.eventId));
    if (r.status >= 200 && r.status < 300) tally.delivered.add(m);
  }
  return tally;
}

/**
 * Tallies `requests()` every 20 ms until every message of `sent` was answered 2xx or `timeoutMs`
 * has passed, and resolves with the tally made last: complete, or what the test's assertions show missing.
 */
export async function awaitDelivered(requests: () => ReceivedRequest[], sent: string[], timeoutMs: number): Promise<DeliveryTally> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tally = tallyDeliveries(requests(), sent);
    if (tally.delivered.size === sent.length || Date.now() > deadline) return tally;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The `X-WaGo-Attempt` number a request carries (NaN when absent). */
export function attemptOf(r: ReceivedRequest): number {
  return Number(r.headers['x-wago-attempt']);
}
