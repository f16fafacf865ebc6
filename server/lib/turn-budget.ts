/**
 * How much deferrable work the process does before it lets the event loop turn: relays
 * (encrypting and writing messages, for every session's send queue), the handling of REST
 * requests, and what WhatsApp sends the sessions (see whatsapp/frame-reads.ts). Baileys runs a
 * relay to its end inside promise continuations, a loop turn that reads many requests at once
 * would run all their handlers in it, and one read of a WhatsApp connection can bring dozens of
 * frames; bounding all three, process-wide, and turning the loop every slice, bounds how long
 * receipts, acks, keep-alives and requests wait during a burst.
 *
 * One slice per turn of the loop, whoever waits: every waiter that found the slice used up
 * waits for the same next turn, and that turn opens one new slice for all of them. (Each
 * waiter scheduling its own turn would run one slice per waiter back to back in the loop's
 * check phase: with 20 busy sessions, 20 slices before any I/O.) Within a slice, relays start
 * one after another, each when the one before it ended; admitted requests and frames are let in
 * one at a time, each running up to its first await before the next one checks the slice.
 */
export class TurnBudget {
  private outstanding = 0;
  private readonly relays: Array<(release: () => void) => void> = [];
  /** The relay admitted in this turn, while it runs: the next one waits for it (or for the next turn). */
  private runningThisTurn = false;
  private turnNumber = 0;
  private readonly admissions: Array<() => void> = [];
  private admitting = false;
  private sliceStart = 0;
  private turn: Promise<void> | null = null;

  constructor(
    private readonly maxOutstanding = 8,
    private readonly sliceMs = 10,
  ) {}

  /**
   * Waits for a relay's turn; resolves with the function that ends it. Within a turn relays run
   * one after another: the next is let in when the one before it ended, if the slice has room.
   * A relay mostly runs to its end without waiting for I/O (keys are in memory), so relays let in
   * together at a slice's start would all finish in that turn, whatever the slice; one at a time,
   * a turn holds at most the slice plus one relay. A relay that waits across turns (a key read
   * from the database, a device-list query) does not hold the others up: the next turn lets the
   * next one in, up to `maxOutstanding` under way.
   */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      this.relays.push(resolve);
      this.pumpRelays();
    });
  }

  private pumpRelays(): void {
    if (this.relays.length === 0 || this.runningThisTurn || this.outstanding >= this.maxOutstanding) return;
    if (this.sliceSpent()) {
      void this.nextTurn();
      return;
    }
    const grant = this.relays.shift()!;
    this.outstanding += 1;
    this.runningThisTurn = true;
    const turn = this.turnNumber;
    let ended = false;
    grant(() => {
      if (ended) return;
      ended = true;
      this.outstanding -= 1;
      if (this.turnNumber === turn) this.runningThisTurn = false;
      this.pumpRelays();
    });
    // Still running when the loop turns: it waits for I/O; the next turn lets the next one in.
    void this.nextTurn();
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
        this.turnNumber += 1;
        this.runningThisTurn = false;
        this.sliceStart = Date.now();
        resolve();
        this.pumpRelays();
      }),
    );
    return this.turn;
  }
}
