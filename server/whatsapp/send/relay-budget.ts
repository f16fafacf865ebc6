/**
 * How much relaying (encrypting and writing messages) the process does before it lets the
 * event loop turn, shared by every session's send queue. Baileys runs relays queued on an
 * account back to back inside promise continuations; bounding how many are handed over at
 * once, process-wide, and turning the loop every slice, bounds how long incoming receipts,
 * acks, keep-alives and HTTP requests can wait during a burst.
 *
 * One slice per turn of the loop, whoever waits: every acquirer that found the slice used up
 * waits for the same next turn, and that turn opens one new slice for all of them. (Each
 * waiter scheduling its own turn would run one slice per waiter back to back in the loop's
 * check phase: with 20 busy sessions, 20 slices before any I/O.) A relay woken by a release
 * checks the slice too, so a chain of releases can't outrun it either.
 */
export class RelayBudget {
  private outstanding = 0;
  private readonly waiting: Array<() => void> = [];
  private sliceStart = 0;
  private turn: Promise<void> | null = null;

  constructor(
    private readonly maxOutstanding = 8,
    private readonly sliceMs = 10,
  ) {}

  /** Waits for a turn of the loop if the slice is used up, then for a relay slot. */
  async acquire(): Promise<void> {
    let woken = false;
    for (;;) {
      if (Date.now() - this.sliceStart >= this.sliceMs) {
        await this.nextTurn();
        continue;
      }
      if (this.outstanding < this.maxOutstanding) {
        this.outstanding += 1;
        return;
      }
      // Woken but beaten to the slot: wait at the front, so no acquirer waits forever.
      await new Promise<void>((resolve) => (woken ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
      woken = true;
    }
  }

  release(): void {
    this.outstanding -= 1;
    this.waiting.shift()?.();
  }

  /** The next turn of the event loop, shared by everyone waiting for it; it opens a new slice. */
  private nextTurn(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = null;
        this.sliceStart = Date.now();
        resolve();
      }),
    );
    return this.turn;
  }
}
