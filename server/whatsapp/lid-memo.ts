import type { WASocket } from 'baileys';

/** LID ↔ phone-number look-ups, as Baileys' LID mapping store answers them. */
export interface LidResolver {
  getPNForLID(lid: string): Promise<string | null>;
  getLIDForPN(pn: string): Promise<string | null>;
}

/** How long a found pair is trusted without asking Baileys again. */
const MEMO_MS = 10 * 60_000;
/** Pairs kept per session (the oldest go first). */
const MAX_PAIRS = 10_000;

interface Remembered {
  value: string;
  until: number;
}

/**
 * Baileys' look-up goes through its mapping store's in-flight map, cache, key store and a
 * mutex: some 50 µs and 20 KB of garbage each, and WaGo asks once or twice for every message
 * sent and every receipt (the LID of a sent message's recipient, the PN and LID events carry).
 * Pairs found are remembered for a while; any mapping change Baileys announces forgets them all.
 * Unknown ones are asked again every time (Baileys may learn them at any moment).
 */
export class LidMemo implements LidResolver {
  private readonly lidOfPn = new Map<string, Remembered>();
  private readonly pnOfLid = new Map<string, Remembered>();

  constructor(
    private readonly source: LidResolver,
    private readonly now: () => number = Date.now,
  ) {}

  async getLIDForPN(pn: string): Promise<string | null> {
    return this.recall(this.lidOfPn, pn) ?? this.learn(this.lidOfPn, pn, await this.source.getLIDForPN(pn));
  }

  async getPNForLID(lid: string): Promise<string | null> {
    return this.recall(this.pnOfLid, lid) ?? this.learn(this.pnOfLid, lid, await this.source.getPNForLID(lid));
  }

  forget(): void {
    this.lidOfPn.clear();
    this.pnOfLid.clear();
  }

  private recall(map: Map<string, Remembered>, key: string): string | undefined {
    const hit = map.get(key);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.value;
    map.delete(key);
    return undefined;
  }

  private learn(map: Map<string, Remembered>, key: string, found: string | null): string | null {
    if (!found) return null;
    map.delete(key); // re-inserted last: the Map's order is the eviction order
    map.set(key, { value: found, until: this.now() + MEMO_MS });
    if (map.size > MAX_PAIRS) map.delete(map.keys().next().value!);
    return found;
  }
}

const memos = new WeakMap<WASocket, LidMemo>();

/** The session's remembered LID look-ups (one per socket, forgotten when Baileys' mappings change). */
export function lidResolverOf(sock: WASocket): LidMemo {
  let memo = memos.get(sock);
  if (!memo) {
    const created = new LidMemo(sock.signalRepository.lidMapping);
    sock.ev.on('lid-mapping.update', () => created.forget());
    memos.set(sock, created);
    memo = created;
  }
  return memo;
}
