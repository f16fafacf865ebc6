import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

export interface InstanceBeat {
  id: string;
  url: string | null;
  host: string;
  pid: number;
  version: string;
  startedAt: Date;
}

/** The WaGo processes sharing the database, each with its last heartbeat (table `instances`). */
export const instanceRepository = {
  async beat(instance: InstanceBeat): Promise<void> {
    const now = new Date();
    await db().instance.upsert({ where: { id: instance.id }, create: { ...instance, heartbeatAt: now }, update: { ...instance, heartbeatAt: now } });
  },
  async remove(id: string): Promise<void> {
    await db().instance.deleteMany({ where: { id } });
  },
  /** Every process with how many live session leases it holds, newest heartbeat first. */
  async listWithSessions() {
    const [instances, leases] = await Promise.all([
      db().instance.findMany({ orderBy: { heartbeatAt: 'desc' } }),
      db().sessionLease.groupBy({ by: ['ownerId'], where: { expiresAt: { gt: new Date() } }, _count: { _all: true } }),
    ]);
    const counts = new Map(leases.map((l) => [l.ownerId, l._count._all]));
    return { instances, counts };
  },
  /** The sessions a process holds a live lease on. */
  leasedSessions(ownerId: string) {
    return db().sessionLease.findMany({
      where: { ownerId, expiresAt: { gt: new Date() } },
      select: { sessionId: true, session: { select: { name: true, state: true } } },
      orderBy: { sessionId: 'asc' },
      take: 200,
    });
  },
  /** Forgets processes silent for longer than `olderThanMs`. */
  async prune(olderThanMs: number): Promise<number> {
    const result = await db().instance.deleteMany({ where: { heartbeatAt: { lt: new Date(Date.now() - olderThanMs) } } });
    return result.count;
  },
};
