const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How much relaying (encrypting and writing messages) the process does before it lets the
 * event loop turn, shared by every session's send queue. Baileys runs relays queued on an
 * account back to back inside promise continuations; bounding how many are handed over at
 * once, process-wide, and turning the loop every slice, bounds how long incoming receipts,
 * acks, keep-alives and HTTP requests can wait during a burst.
 */
export class RelayBudget {
  private outstanding = 0;
  private readonly waiting: Array<() => void> = [];
  private sliceStart = 0;

  constructor(
    private readonly maxOutstanding = 8,
    private readonly sliceMs = 10,
  ) {}

  /** Waits for a turn of the loop if the slice is used up, then for a relay slot. */
  async acquire(): Promise<void> {
    if (Date.now() - this.sliceStart >= this.sliceMs) {
      await yieldToEventLoop();
      this.sliceStart = Date.now();
    }
    if (this.outstanding < this.maxOutstanding) {
      this.outstanding += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.outstanding -= 1;
  }
}
