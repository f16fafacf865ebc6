import type { GroupMetadata } from 'baileys';
import { getRuntime } from '../runtime/registry';
import type { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

/** Group metadata per session, as WhatsApp gave it (the session engine's cache behind its memory). */
export const groupRepository = {
  async get(sessionId: string, groupJid: string): Promise<GroupMetadata | undefined> {
    const row = await db().groupMetadata.findUnique({ where: { sessionId_groupJid: { sessionId, groupJid } } });
    return row ? (row.metadata as unknown as GroupMetadata) : undefined;
  },
  async list(sessionId: string): Promise<GroupMetadata[]> {
    const rows = await db().groupMetadata.findMany({ where: { sessionId }, orderBy: { groupJid: 'asc' } });
    return rows.map((r) => r.metadata as unknown as GroupMetadata);
  },
  async save(sessionId: string, metadata: GroupMetadata): Promise<void> {
    const json = JSON.parse(JSON.stringify(metadata)) as Prisma.InputJsonValue;
    await db().groupMetadata.upsert({
      where: { sessionId_groupJid: { sessionId, groupJid: metadata.id } },
      create: { sessionId, groupJid: metadata.id, metadata: json },
      update: { metadata: json },
    });
  },
  /** Replaces every stored group of the session with `groups` (the answer of a full listing). */
  async replaceAll(sessionId: string, groups: GroupMetadata[]): Promise<void> {
    await db().$transaction([
      db().groupMetadata.deleteMany({ where: { sessionId, groupJid: { notIn: groups.map((g) => g.id) } } }),
      ...groups.map((g) => {
        const json = JSON.parse(JSON.stringify(g)) as Prisma.InputJsonValue;
        return db().groupMetadata.upsert({
          where: { sessionId_groupJid: { sessionId, groupJid: g.id } },
          create: { sessionId, groupJid: g.id, metadata: json },
          update: { metadata: json },
        });
      }),
    ]);
  },
  async deleteAll(sessionId: string): Promise<void> {
    await db().groupMetadata.deleteMany({ where: { sessionId } });
  },
  async delete(sessionId: string, groupJid: string): Promise<void> {
    await db().groupMetadata.deleteMany({ where: { sessionId, groupJid } });
  },
};
