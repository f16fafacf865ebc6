import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

/** Server-wide key/value settings. */
export const settingRepository = {
  async get(key: string): Promise<string | undefined> {
    const row = await db().serverSetting.findUnique({ where: { key } });
    return row?.value;
  },
  async set(key: string, value: string): Promise<void> {
    await db().serverSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
  },
  /** Sets the value only if the key is absent; returns whether this call wrote it. */
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    const result = await db().serverSetting.createMany({ data: [{ key, value }], skipDuplicates: true });
    return result.count === 1;
  },
};
