import { getRuntime } from '../runtime/registry';
import type { Account } from '../generated/prisma/client';

export type AccountRow = Account;
export type AccountRole = Account['role'];

const db = () => getRuntime().prisma;

/** The only code that reads and writes the `accounts` table (dashboard users). */
export const accountRepository = {
  findById(id: string): Promise<AccountRow | null> {
    return db().account.findUnique({ where: { id } });
  },
  findByEmail(email: string): Promise<AccountRow | null> {
    return db().account.findUnique({ where: { email } });
  },
  /** Accounts with how many sessions each owns, oldest first. */
  listWithSessionCounts() {
    return db().account.findMany({ orderBy: { createdAt: 'asc' }, include: { _count: { select: { sessions: true } } } });
  },
  create(data: { email: string; name: string | null; role: AccountRole; passwordHash: string }): Promise<AccountRow> {
    return db().account.create({ data });
  },
  /** Creates the account only when no admin exists yet (atomic across processes); null when one did. */
  async createFirstAdmin(data: { email: string; passwordHash: string }): Promise<AccountRow | null> {
    return db().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wago.first-admin'))`;
      if ((await tx.account.count({ where: { role: 'admin' } })) > 0) return null;
      return tx.account.upsert({
        where: { email: data.email },
        create: { email: data.email, name: 'Administrator', role: 'admin', passwordHash: data.passwordHash },
        update: { role: 'admin', passwordHash: data.passwordHash },
      });
    });
  },
  setPasswordHash(id: string, passwordHash: string): Promise<AccountRow> {
    return db().account.update({ where: { id }, data: { passwordHash } });
  },
  countSessions(id: string): Promise<number> {
    return db().session.count({ where: { ownerId: id } });
  },
  countAdmins(): Promise<number> {
    return db().account.count({ where: { role: 'admin' } });
  },
  async delete(id: string): Promise<boolean> {
    const result = await db().account.deleteMany({ where: { id } });
    return result.count > 0;
  },
  /**
   * Deletes an account unless it owns sessions or is the last admin, in one transaction: the
   * account row is locked first, so a session being created for it meanwhile waits (then fails)
   * instead of being left without an owner, and two admins cannot delete each other at once.
   */
  async deleteUnlessInUse(id: string): Promise<{ deleted: true } | { deleted: false; reason: 'missing' } | { deleted: false; reason: 'last-admin' } | { deleted: false; reason: 'owns-sessions'; sessions: number }> {
    return db().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wago.account-delete'))`;
      const locked = await tx.$queryRaw<Array<{ role: AccountRole }>>`SELECT role FROM accounts WHERE id = ${id}::uuid FOR UPDATE`;
      const row = locked[0];
      if (!row) return { deleted: false, reason: 'missing' } as const;
      const sessions = await tx.session.count({ where: { ownerId: id } });
      if (sessions > 0) return { deleted: false, reason: 'owns-sessions', sessions } as const;
      if (row.role === 'admin' && (await tx.account.count({ where: { role: 'admin' } })) <= 1) return { deleted: false, reason: 'last-admin' } as const;
      await tx.account.delete({ where: { id } });
      return { deleted: true } as const;
    });
  },
};
