import { getRuntime } from '../runtime/registry';

export const healthRepository = {
  /** Resolves when the database answers a trivial query. */
  async ping(): Promise<void> {
    await getRuntime().prisma.$queryRaw`SELECT 1`;
  },
};
