import type { WASocket } from 'baileys';
import type { Logger } from '../../logger';
import type { EventPayloads, EventType, SessionState, WagoEvent } from '../../events/types';
import { sessionRuntimeRepository, type SessionRuntimePatch } from '../../repositories/session.repository';
import type { PgAuthState } from '../auth/pg-auth-state';
import { canTransition } from './states';
import { QrTracker } from './qr-tracker';

/** Publishes one event of a session to every consumer. */
export type PublishEvent = <T extends EventType>(sessionId: string, type: T, data: EventPayloads[T], opts?: { id?: string }) => Promise<WagoEvent>;

export interface Identity {
  jid: string | null;
  lid: string | null;
  pushName: string | null;
}

/** States in which a connect request has its answer. */
const SETTLED: ReadonlySet<SessionState> = new Set(['connected', 'qr', 'pairing', 'logged_out', 'failed', 'disconnected']);

/**
 * The lifecycle state of one session, shared by its runner (requests: connect, disconnect,
 * logout) and its connection handler (what Baileys reports): the state machine, the socket, the
 * linking progress and the waiters of connect requests. Each state change is stored and published.
 */
export class RunnerState {
  state: SessionState = 'disconnected';
  sock?: WASocket;
  auth?: PgAuthState;
  readonly qr = new QrTracker();
  pairPhone?: string;
  pairingCode: string | null = null;
  lastError: string | null = null;
  /** Reconnect attempts since the connection was last open. */
  attempts = 0;
  reconnectTimer?: NodeJS.Timeout;
  connectWatchdog?: NodeJS.Timeout;
  intent: 'run' | 'stop' | 'logout' = 'stop';
  identity: Identity;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly sessionId: string,
    private readonly log: Logger,
    private readonly publishEvent: PublishEvent,
    initial: Identity,
  ) {
    this.identity = { ...initial };
  }

  /** Publishes an event of this session. */
  publish<T extends EventType>(type: T, data: EventPayloads[T]): Promise<WagoEvent> {
    return this.publishEvent(this.sessionId, type, data);
  }

  /** Waits until the connection attempt has an answer (connected, QR shown, failed…) or the timeout. */
  async waitSettled(timeoutMs: number): Promise<SessionState> {
    if (SETTLED.has(this.state) && !(this.state === 'pairing' && !this.pairingCode)) return this.state;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
    return this.state;
  }

  /** Moves to `next`, writing it with `patch` (in one statement) before telling anyone. */
  async transition(next: SessionState, reason: string | null, patch: SessionRuntimePatch = {}): Promise<void> {
    const previous = this.state;
    if (!canTransition(previous, next)) {
      this.log.error({ from: previous, to: next }, 'refused an impossible session state change');
      await this.persist(patch); // an empty patch writes nothing
      return;
    }
    this.state = next;
    if (previous === next) {
      await this.persist(patch);
    } else {
      await this.persist({ ...patch, state: next });
      await this.publish('StateChanged', { state: next, previous, reason });
    }
    this.wake();
  }

  /** Answers the waiting connect requests when the state is an answer. */
  wake(): void {
    if (!SETTLED.has(this.state) || (this.state === 'pairing' && !this.pairingCode)) return;
    for (const waiter of [...this.waiters]) waiter();
  }

  async persist(patch: SessionRuntimePatch): Promise<void> {
    await sessionRuntimeRepository.update(this.sessionId, patch);
  }
}
