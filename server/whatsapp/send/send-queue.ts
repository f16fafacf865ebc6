import { TurnBudget } from '../../lib/turn-budget';

/**
 * The send queue of one session. A send has two steps: `prepare` (build the message, upload
 * media) and `relay` (encrypt and write it). Prepares run concurrently, up to `maxInFlight`.
 * Relays start in the order their sends become ready, within the process-wide turn budget
 * (so a burst never starves receipts, acks, keep-alives or HTTP requests); sends to the same
 * chat are relayed in the order they were asked for, and other chats do not wait for a slow
 * prepare. Each session has its own queue: a slow one never blocks another.
 */
/** Sends of one session being prepared (built, media uploaded) at once; more wait their turn. */
export const MAX_SENDS_IN_FLIGHT = 64;

export class SendQueue {
  private readonly gates = new Map<string, Promise<void>>();
  private relayTail: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly budget: TurnBudget = new TurnBudget(),
    private readonly maxInFlight = MAX_SENDS_IN_FLIGHT,
  ) {}

  run<P, T>(chat: string, prepare: () => Promise<P>, relay: (prepared: P) => Promise<T>): Promise<T> {
    const gate = this.gates.get(chat) ?? Promise.resolve();
    const slot = this.acquire();
    const prepared = slot.then(prepare);
    const done = Promise.all([gate, prepared]).then(([, p]) => this.relayInOrder(() => relay(p)));
    // The chat's next send is relayed after this one started, whatever its outcome; the
    // outcome itself goes to this send's caller through `done`.
    const nextGate = done.then(
      () => undefined,
      () => undefined,
    );
    this.gates.set(chat, nextGate);
    void nextGate.then(() => {
      if (this.gates.get(chat) === nextGate) this.gates.delete(chat);
    });
    void slot.then(() => nextGate.then(() => this.release()));
    return done;
  }

  /** Starts relays one after another in readiness order, each within the turn budget. */
  private relayInOrder<T>(task: () => Promise<T>): Promise<T> {
    const started = this.relayTail.then(() => this.budget.acquire());
    const result = started.then((end) => {
      try {
        return task().finally(end);
      } catch (error) {
        end();
        throw error;
      }
    });
    this.relayTail = started.then(
      () => undefined,
      () => undefined,
    );
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
