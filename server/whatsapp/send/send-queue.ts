const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The send queue of one session: sends to the same chat go out in the order they were asked
 * for; different chats proceed in parallel up to `maxInFlight`. After each send the queue yields
 * to the event loop, so a burst never starves receipts, acks and keep-alives (Baileys' encryption
 * is synchronous CPU work). Each session has its own queue: a slow one never blocks another.
 */
export class SendQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxInFlight = 16) {}

  get pending(): number {
    return this.inFlight + this.waiting.length;
  }

  run<T>(chat: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chat) ?? Promise.resolve();
    const result = previous.then(async () => {
      await this.acquire();
      try {
        return await task();
      } finally {
        this.release();
        await yieldToEventLoop();
      }
    });
    // The chat's next send waits for this one to finish, whatever its outcome; the outcome
    // itself goes to this send's caller through `result`.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(chat, tail);
    void tail.then(() => {
      if (this.tails.get(chat) === tail) this.tails.delete(chat);
    });
    return result;
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
