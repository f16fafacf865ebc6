import type { Logger } from '../logger';
import type { EventBus } from '../events/bus';
import { sessionLeaseRepository, type OrphanCursor } from '../repositories/session-lease.repository';
import { SessionRunner, type RunnerDeps, type SessionInfo } from './session-runner';
import type { TurnBudget } from '../lib/turn-budget';

type Identity = { jid: string | null; lid: string | null; pushName: string | null };

export interface ManagerOptions extends RunnerDeps {
  /** The process's one turn budget (the runtime's), shared with the REST dispatcher. */
  turnBudget: TurnBudget;
  /** This process's id in the lease table. */
  ownerId: string;
  /** URL other WaGo processes use to reach this one (for forwarded REST calls). */
  ownerUrl: () => string | null;
  leaseTtlMs: number;
  restoreConcurrency: number;
  /** Sessions read per page by the orphan scan (200). */
  orphanPage?: number;
}

/** Thrown when another live WaGo process runs the session. */
export class OwnedElsewhereError extends Error {
  constructor(readonly ownerUrl: string | null) {
    super('the session runs in another WaGo process');
  }
}

const IDLE = new Set(['disconnected', 'failed', 'logged_out']);
const ORPHAN_PAGE = 200;

/**
 * All WhatsApp sessions this process runs: one SessionRunner (one Baileys socket) each, and
 * only while this process holds the session's lease in PostgreSQL. Leases are renewed by a
 * heartbeat; sessions whose owner died (lease expired) are taken over by the orphan scan.
 * Lives in the runtime registry: the REST API and the dashboard reach the same instance.
 */
export class SessionManager {
  private readonly runners = new Map<string, SessionRunner>();
  private readonly log: Logger;
  private heartbeat?: NodeJS.Timeout;
  private scanning = false;
  private firstScan = true;
  /** True once the first restore scan at start has finished (GET /health/ready). */
  restoreFinished = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.logger.child({ component: 'session-manager' });
  }

  /** Starts lease heartbeats and the orphan scan (which also restores sessions at start). */
  start(bus: EventBus): void {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type !== 'StateChanged') return;
      const state = (event.data as { state: string }).state;
      if (IDLE.has(state) && this.runners.has(event.sessionId)) {
        void sessionLeaseRepository.release(this.opts.ownerId, event.sessionId).catch((error: unknown) => this.log.error({ err: error }, 'could not release a lease'));
      }
    });
    const every = Math.max(500, Math.floor(this.opts.leaseTtlMs / 3));
    this.heartbeat = setInterval(() => void this.tick(), every);
    this.heartbeat.unref();
    void this.tick();
  }

  get(sessionId: string): SessionRunner | undefined {
    return this.runners.get(sessionId);
  }

  /** Sessions this process runs right now. */
  runningCount(): number {
    let n = 0;
    for (const runner of this.runners.values()) if (!IDLE.has(runner.state)) n += 1;
    return n;
  }

  /** Sessions this process holds, counted by lifecycle state. */
  countByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const runner of this.runners.values()) counts[runner.state] = (counts[runner.state] ?? 0) + 1;
    return counts;
  }

  private runner(info: SessionInfo, identity: Identity): SessionRunner {
    let runner = this.runners.get(info.id);
    if (!runner) {
      runner = new SessionRunner(info, this.opts, identity);
      this.runners.set(info.id, runner);
    }
    return runner;
  }

  /** Whether this process runs the session right now. */
  runsLocally(sessionId: string): boolean {
    const runner = this.runners.get(sessionId);
    return runner !== undefined && !IDLE.has(runner.state);
  }

  /** The URL of the process that runs the session, when that is another process. */
  async remoteOwner(sessionId: string): Promise<string | null> {
    if (this.runsLocally(sessionId)) return null;
    const lease = await sessionLeaseRepository.live(sessionId);
    if (!lease || lease.ownerId === this.opts.ownerId) return null;
    return lease.ownerUrl;
  }

  /** Takes the session's lease and connects it here. */
  async connect(info: SessionInfo, identity: Identity, opts: { pairPhone?: string } = {}): Promise<SessionRunner> {
    if (this.stopped) throw new Error('WaGo is shutting down');
    const acquired = await sessionLeaseRepository.tryAcquire(info.id, this.opts.ownerId, this.opts.ownerUrl(), this.opts.leaseTtlMs);
    if (!acquired) throw new OwnedElsewhereError((await sessionLeaseRepository.live(info.id))?.ownerUrl ?? null);
    const runner = this.runner(info, identity);
    await runner.connect(opts);
    return runner;
  }

  /** A runner for reading state or stopping, without connecting. */
  existingOrIdle(info: SessionInfo, identity: Identity): SessionRunner {
    return this.runner(info, identity);
  }

  /** Stops and forgets a session (before it is deleted). */
  async remove(sessionId: string, opts: { logout: boolean }): Promise<void> {
    const runner = this.runners.get(sessionId);
    if (!runner) return;
    if (opts.logout && runner.state === 'connected') await runner.logout();
    else await runner.disconnect({ keepAutoConnect: true });
    this.runners.delete(sessionId);
  }

  private async tick(): Promise<void> {
    try {
      await this.renewLeases();
      await this.adoptOrphans();
    } catch (error) {
      this.log.error({ err: error }, 'session lease upkeep failed');
    }
  }

  private async renewLeases(): Promise<void> {
    const running = [...this.runners.values()].filter((r) => !IDLE.has(r.state)).map((r) => r.info.id);
    if (running.length === 0) return;
    const kept = new Set(await sessionLeaseRepository.renew(this.opts.ownerId, running, this.opts.leaseTtlMs));
    for (const id of running) {
      if (kept.has(id)) continue;
      const runner = this.runners.get(id);
      this.runners.delete(id);
      this.log.warn({ sessionId: id }, 'lost the session lease to another process; stopping it here');
      await runner?.disconnect({ keepAutoConnect: true });
    }
  }

  /**
   * Restores sessions that should run but that no live process owns (at start, and when their
   * owner died), a few at a time: logins are CPU-bound, so staggering beats all at once.
   */
  private async adoptOrphans(): Promise<void> {
    if (this.scanning || this.stopped) return;
    this.scanning = true;
    try {
      const started = Date.now();
      const tried = new Set<string>();
      let found = 0;
      let restored = 0;
      const pageSize = this.opts.orphanPage ?? ORPHAN_PAGE;
      // Pages follow one another by (created_at, id): the sessions this process already runs stay
      // in the list (its own leases), so asking for the first page again would never get past them.
      let after: OrphanCursor | undefined;
      for (;;) {
        const page = await sessionLeaseRepository.listOrphans(pageSize, this.opts.ownerId, after);
        if (page.length === 0) break;
        after = page[page.length - 1];
        const orphans = page.filter((o) => !tried.has(o.id) && !this.runsLocally(o.id));
        found += orphans.length;
        for (const o of orphans) tried.add(o.id);
        let next = 0;
        const worker = async () => {
          while (next < orphans.length && !this.stopped) {
            const row = orphans[next++];
            try {
              const runner = await this.connect({ id: row.id, name: row.name, os: row.os }, { jid: row.jid, lid: row.lid, pushName: row.pushName });
              if ((await runner.waitSettled(30_000)) === 'connected') restored += 1;
              this.log.debug({ sessionId: row.id, state: runner.state }, 'session restored');
            } catch (error) {
              if (!(error instanceof OwnedElsewhereError)) this.log.error({ err: error, sessionId: row.id }, 'could not restore a session');
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(this.opts.restoreConcurrency, orphans.length) }, worker));
        if (page.length < pageSize || this.stopped) break;
      }
      if (found || this.firstScan) {
        this.log.info({ sessions: found, restored, ms: Date.now() - started, atStart: this.firstScan }, 'sessions restored');
      }
      this.firstScan = false;
      this.restoreFinished = true;
    } finally {
      this.scanning = false;
    }
  }

  /** Closes every socket at shutdown and releases the leases; sessions stay marked to be restored. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(
      runners.map(async (r) => {
        try {
          await r.disconnect({ keepAutoConnect: true });
          await sessionLeaseRepository.release(this.opts.ownerId, r.info.id);
        } catch (error) {
          this.log.error({ err: error, sessionId: r.info.id }, 'could not stop a session');
        }
      }),
    );
  }
}
