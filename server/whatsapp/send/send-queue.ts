const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The send queue of one session. A send has two steps: `prepare` (build the message, upload
 * media: may run concurrently) and `relay` (encrypt and write it: Baileys serialises these per
 * account, in the order they are called). The queue calls `relay` for sends to the same chat
 * strictly in the order they were asked for — without waiting for the previous one to finish,
 * so one chat still goes at full speed — and keeps at most `maxInFlight` sends going per
 * session. After each send it yields to the event loop, so a burst never starves receipts,
 * acks and keep-alives. Each session has its own queue: a slow one never blocks another.
 */
export class SendQueue {
  private readonly gates = new Map<string, Promise<void>>();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxInFlight = 64) {}

  get pending(): number {
    return this.inFlight + this.waiting.length;
  }

  run<P, T>(chat: string, prepare: () => Promise<P>, relay: (prepared: P) => Promise<T>): Promise<T> {
    const gate = this.gates.get(chat) ?? Promise.resolve();
    const slot = this.acquire();
    const prepared = slot.then(prepare);
    // Relay in arrival order: after the previous send of this chat was relayed (or failed).
    const relayed = Promise.all([gate, prepared]).then(([, p]) => ({ result: relay(p) }));
    const nextGate = relayed.then(
      () => undefined,
      () => undefined,
    );
    this.gates.set(chat, nextGate);
    void nextGate.then(() => {
      if (this.gates.get(chat) === nextGate) this.gates.delete(chat);
    });
    const done = relayed.then((r) => r.result);
    // The slot is freed whatever the outcome; the outcome itself goes to the caller via `done`.
    void slot.then(() =>
      done.then(
        () => this.release(),
        () => this.release(),
      ),
    );
    return done.finally(yieldToEventLoop);
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}
