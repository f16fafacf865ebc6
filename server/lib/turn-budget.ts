/**
 * How much deferrable work the process does before it lets the event loop turn: relays
 * (encrypting and writing messages, for every session's send queue) and the handling of REST
 * requests. Baileys runs relays queued on an account back to back inside promise
 * continuations, and a loop turn that reads many requests at once would run all their handlers
 * in it; bounding both, process-wide, and turning the loop every slice, bounds how long
 * incoming receipts, acks, keep-alives and other requests can wait during a burst.
 *
 * One slice per turn of the loop, whoever waits: every waiter that found the slice used up
 * waits for the same next turn, and that turn opens one new slice for all of them. (Each
 * waiter scheduling its own turn would run one slice per waiter back to back in the loop's
 * check phase: with 20 busy sessions, 20 slices before any I/O.) A relay woken by a release
 * checks the slice too, so a chain of releases can't outrun it either; admitted requests are
 * let in one at a time, each running up to its first await before the next one checks the slice.
 */
export class TurnBudget {
  private outstanding = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly admissions: Array<() => void> = [];
  private admitting = false;
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
      if (this.sliceSpent()) {
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

  /**
   * Lets work that can wait for the loop to turn (a REST request's handling) start within the
   * slice: `undefined` (go on at once) while the slice lasts and no one is queued; otherwise a
   * promise that resolves in turn order, first come first served, when a slice has room.
   */
  admit(): Promise<void> | undefined {
    if (this.admissions.length === 0 && !this.sliceSpent()) return undefined;
    const admitted = new Promise<void>((resolve) => this.admissions.push(resolve));
    this.pumpAdmissions();
    return admitted;
  }

  private pumpAdmissions(): void {
    if (this.admitting) return;
    this.admitting = true;
    const next = (): void => {
      if (this.admissions.length === 0) {
        this.admitting = false;
        return;
      }
      if (this.sliceSpent()) {
        void this.nextTurn().then(next);
        return;
      }
      // The admitted work's continuation was queued by this resolve; `next` runs after its first
      // synchronous stretch, and sees the time that stretch took.
      this.admissions.shift()!();
      queueMicrotask(next);
    };
    next();
  }

  private sliceSpent(): boolean {
    return Date.now() - this.sliceStart >= this.sliceMs;
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
