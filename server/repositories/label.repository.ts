import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

export interface StoredLabel {
  labelId: string;
  name: string | null;
  color: number | null;
  predefinedId: number | null;
  deleted: boolean;
  updatedAt: Date;
}

export interface LabelEdit {
  labelId: string;
  name?: string | null;
  color?: number | null;
  predefinedId?: number | null;
  deleted: boolean;
}

export interface LabelLink {
  labelId: string;
  chatJid: string;
  /** "" for a chat label. */
  messageId: string;
}

/** A session's labels and the chats and messages they are on (WhatsApp Business app state). */
export const labelRepository = {
  /** Creates or changes a label; fields left undefined keep their stored value. */
  async upsert(sessionId: string, edit: LabelEdit): Promise<void> {
    const values = { name: edit.name, color: edit.color, predefinedId: edit.predefinedId, deleted: edit.deleted, updatedAt: new Date() };
    await db().label.upsert({
      where: { sessionId_labelId: { sessionId, labelId: edit.labelId } },
      create: { sessionId, labelId: edit.labelId, ...values },
      update: values,
    });
  },

  async link(sessionId: string, link: LabelLink, labeled: boolean): Promise<void> {
    if (labeled) {
      // INSERT … ON CONFLICT DO NOTHING: the route and the sync's LabelUpdate store the same link at once.
      await db().$transaction([
        db().label.createMany({ data: [{ sessionId, labelId: link.labelId }], skipDuplicates: true }),
        db().labelAssociation.createMany({ data: [{ sessionId, ...link }], skipDuplicates: true }),
      ]);
    } else {
      await db().labelAssociation.deleteMany({ where: { sessionId, ...link } });
    }
  },

  async get(sessionId: string, labelId: string): Promise<StoredLabel | null> {
    return db().label.findUnique({ where: { sessionId_labelId: { sessionId, labelId } }, select: { labelId: true, name: true, color: true, predefinedId: true, deleted: true, updatedAt: true } });
  },

  async list(sessionId: string): Promise<StoredLabel[]> {
    return db().label.findMany({ where: { sessionId }, orderBy: { labelId: 'asc' }, select: { labelId: true, name: true, color: true, predefinedId: true, deleted: true, updatedAt: true } });
  },

  async links(sessionId: string, filter: { chatJid?: string; labelId?: string } = {}): Promise<LabelLink[]> {
    return db().labelAssociation.findMany({ where: { sessionId, ...filter }, orderBy: [{ chatJid: 'asc' }, { messageId: 'asc' }], select: { labelId: true, chatJid: true, messageId: true } });
  },
};
