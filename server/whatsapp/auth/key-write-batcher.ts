import type { Logger } from '../../logger';
import type { KeyWrite, SessionKeyWrite } from '../../repositories/auth-state.repository';

interface Waiter {
  sessionId: string;
  rows: KeyWrite[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A waiter's rows, each naming its session. */
const rowsOf = (w: Waiter): SessionKeyWrite[] => w.rows.map((row) => ({ ...row, sessionId: w.sessionId }));

/**
 * Joins the key batches of every session into one statement: each session's writer hands its
 * batch over and waits, and the batches that arrive while a statement runs (or within the same
 * turn of the event loop) go out together in the next one. With many busy sessions this is one
 * round trip for all of them instead of one each; a session's own batches stay in order because
 * each waits for its previous one. When a joint statement fails, each session's batch is tried
 * on its own, so one session's bad batch (say, a session deleted meanwhile) fails only itself.
 */
export class KeyWriteBatcher {
  private queued: Waiter[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly writeRows: (rows: SessionKeyWrite[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  write(sessionId: string, rows: KeyWrite[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ sessionId, rows, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queued.length) {
        const batch = this.queued;
        this.queued = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async writeBatch(batch: Waiter[]): Promise<void> {
    try {
      await this.writeRows(batch.flatMap(rowsOf));
      for (const w of batch) w.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      this.logger.warn({ err: error, sessions: batch.length }, 'a joint Signal key batch failed; writing each session on its own');
    }
    for (const w of batch) {
      try {
        await this.writeRows(rowsOf(w));
        w.resolve();
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
