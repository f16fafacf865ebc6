import { Pool } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

/** The one Prisma client of the process; it lives in the runtime registry. */
export function createPrisma(databaseUrl: string, poolSize: number): PrismaClient {
  return createDatabaseClient(databaseUrl, poolSize).prisma;
}

/** The Prisma client and the `pg` pool under it (whose use GET /metrics reports); $disconnect ends the pool. */
export function createDatabaseClient(databaseUrl: string, poolSize: number): { prisma: PrismaClient; pool: Pool } {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return { prisma: new PrismaClient({ adapter }), pool };
}
