import { getRuntime } from '../runtime/registry';
import { Prisma, type Session } from '../generated/prisma/client';

export type SessionRow = Session;

export interface NewSession {
  name: string;
  tokenHash: string;
  tokenPrefix: string;
  os: string;
  ownerId?: string | null;
}

const db = () => getRuntime().prisma;

/** The only code that reads and writes the `sessions` table. */
export const sessionRepository = {
  create(data: NewSession): Promise<SessionRow> {
    return db().session.create({ data });
  },
  findById(id: string): Promise<SessionRow | null> {
    return db().session.findUnique({ where: { id } });
  },
  findByTokenHash(tokenHash: string): Promise<SessionRow | null> {
    return db().session.findUnique({ where: { tokenHash } });
  },
  list(filter: { ownerId?: string; loggedIn?: boolean } = {}): Promise<SessionRow[]> {
    return db().session.findMany({
      where: {
        ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
        ...(filter.loggedIn ? { loggedInAt: { not: null }, jid: { not: null } } : {}),
      },
      orderBy: { createdAt: 'asc' },
    });
  },
  /** Sessions with their owner's e-mail, oldest first (of one owner when given). */
  listWithOwner(ownerId?: string) {
    return db().session.findMany({
      where: ownerId ? { ownerId } : {},
      orderBy: { createdAt: 'asc' },
      include: { owner: { select: { email: true } } },
    });
  },
  /** Time of each session's newest stored message. */
  async lastMessageTimes(ids: string[]): Promise<Map<string, Date>> {
    if (!ids.length) return new Map();
    const rows = await db().message.groupBy({ by: ['sessionId'], where: { sessionId: { in: ids } }, _max: { timestamp: true } });
    return new Map(rows.filter((r) => r._max.timestamp).map((r) => [r.sessionId, r._max.timestamp!]));
  },
  updateToken(id: string, tokenHash: string, tokenPrefix: string): Promise<SessionRow> {
    return db().session.update({ where: { id }, data: { tokenHash, tokenPrefix } });
  },
  async delete(id: string): Promise<boolean> {
    const result = await db().session.deleteMany({ where: { id } });
    return result.count > 0;
  },
  /** Renames a session; null when it does not exist. */
  async rename(id: string, name: string): Promise<SessionRow | null> {
    const result = await db().session.updateMany({ where: { id }, data: { name } });
    return result.count > 0 ? db().session.findUnique({ where: { id } }) : null;
  },
  /** One session with its owner's e-mail. */
  findByIdWithOwner(id: string) {
    return db().session.findUnique({ where: { id }, include: { owner: { select: { email: true } } } });
  },
  updateWebhook(id: string, webhookUrl: string | null): Promise<SessionRow> {
    return db().session.update({ where: { id }, data: { webhookUrl } });
  },
};

/** Runtime fields of a session the engine keeps up to date. */
export interface SessionRuntimePatch {
  state?: string;
  jid?: string | null;
  lid?: string | null;
  pushName?: string | null;
  lastError?: string | null;
  connectedAt?: Date | null;
  loggedInAt?: Date | null;
  linkedAt?: Date;
  /** Sets `linkedAt` to this time unless a link time is already known. */
  linkedAtIfUnknown?: Date;
  autoConnect?: boolean;
  events?: string[];
}

/** Columns of the runtime fields (`events`, a text array, is written with its cast below). */
const RUNTIME_COLUMNS = {
  state: 'state',
  jid: 'jid',
  lid: 'lid',
  pushName: 'push_name',
  lastError: 'last_error',
  connectedAt: 'connected_at',
  loggedInAt: 'logged_in_at',
  linkedAt: 'linked_at',
  autoConnect: 'auto_connect',
} as const satisfies Partial<Record<keyof SessionRuntimePatch, string>>;

export const sessionRuntimeRepository = {
  /**
   * Writes a session's runtime fields in one statement. A session's lifecycle writes these at
   * every step of every connection (a restore of 1,000 sessions makes thousands of them), so it is
   * one plain UPDATE rather than the client's updateMany (several round trips and about 1 ms of
   * CPU each).
   */
  async update(id: string, patch: SessionRuntimePatch): Promise<void> {
    const { events, linkedAtIfUnknown, ...fields } = patch;
    const sets: Prisma.Sql[] = [];
    if (events !== undefined) sets.push(Prisma.sql`"events" = ${events}::text[]`);
    for (const [key, column] of Object.entries(RUNTIME_COLUMNS) as Array<[keyof typeof RUNTIME_COLUMNS, string]>) {
      const value = fields[key];
      if (value !== undefined) sets.push(Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`);
    }
    if (linkedAtIfUnknown) sets.push(Prisma.sql`"linked_at" = COALESCE("linked_at", ${linkedAtIfUnknown})`);
    if (sets.length === 0) return; // nothing to write: no statement
    sets.push(Prisma.sql`"updated_at" = now()`);
    await getRuntime().prisma.$executeRaw`UPDATE "sessions" SET ${Prisma.join(sets, ', ')} WHERE "id" = ${id}::uuid`;
  },
};
