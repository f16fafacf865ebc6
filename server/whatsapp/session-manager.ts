import type { Logger } from '../logger';
import { sessionRuntimeRepository } from '../repositories/session.repository';
import { SessionRunner, type RunnerDeps, type SessionInfo } from './session-runner';

/**
 * All WhatsApp sessions this process runs: one SessionRunner (one Baileys socket) each.
 * Lives in the runtime registry: the REST API and the dashboard reach the same instance.
 */
export class SessionManager {
  private readonly runners = new Map<string, SessionRunner>();
  private readonly log: Logger;

  constructor(private readonly deps: RunnerDeps) {
    this.log = deps.logger.child({ component: 'session-manager' });
  }

  get(sessionId: string): SessionRunner | undefined {
    return this.runners.get(sessionId);
  }

  /** The session's runner, created on first use. */
  runner(info: SessionInfo, identity: { jid: string | null; lid: string | null; pushName: string | null }): SessionRunner {
    let runner = this.runners.get(info.id);
    if (!runner) {
      runner = new SessionRunner(info, this.deps, identity);
      this.runners.set(info.id, runner);
    }
    return runner;
  }

  get size(): number {
    return this.runners.size;
  }

  /** Stops and forgets a session (before it is deleted). */
  async remove(sessionId: string, opts: { logout: boolean }): Promise<void> {
    const runner = this.runners.get(sessionId);
    if (!runner) return;
    this.runners.delete(sessionId);
    if (opts.logout && runner.state === 'connected') await runner.logout();
    else await runner.disconnect({ keepAutoConnect: true });
  }

  /**
   * Brings back every session that was running at the last stop, from its stored credentials
   * (no new QR), a few at a time: logins are CPU-bound, so staggering is faster than all at once.
   */
  async restoreAll(concurrency: number): Promise<{ restored: number; failed: number }> {
    const rows = await sessionRuntimeRepository.listToRestore();
    let next = 0;
    let restored = 0;
    let failed = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++];
        const runner = this.runner({ id: row.id, name: row.name, os: row.os }, { jid: row.jid, lid: row.lid, pushName: row.pushName });
        try {
          await runner.connect();
          const state = await runner.waitSettled(30_000);
          if (state === 'connected') restored += 1;
          else failed += 1;
        } catch (error) {
          failed += 1;
          this.log.error({ err: error, sessionId: row.id }, 'could not restore a session');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    if (rows.length) this.log.info({ restored, failed }, 'sessions restored');
    return { restored, failed };
  }

  /** Closes every socket at shutdown; sessions stay marked to be restored at the next start. */
  async stopAll(): Promise<void> {
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.disconnect({ keepAutoConnect: true }).catch((error: unknown) => this.log.error({ err: error, sessionId: r.info.id }, 'could not stop a session'))));
  }
}
