import { getRuntime } from '../runtime/registry';

const db = () => getRuntime().prisma;

/**
 * What WaGo learned about one user of a session. Absent fields are left as stored; `book`
 * present means the phone's address book changed (saved with these names, or removed): the
 * names and `inAddressBook` are then replaced, not merged.
 */
export interface ContactPatch {
  sessionId: string;
  /** Phone-number JID when known, else the LID. */
  jid: string;
  lid?: string | null;
  pushName?: string | null;
  businessName?: string | null;
  /** A name learned without an address-book change (history sync, a contact update). */
  fullName?: string | null;
  /** True when the phone's address book is known to hold the user (never clears it). */
  saved?: boolean;
  book?: { saved: boolean; fullName: string | null; firstName: string | null };
}

export interface StoredContact {
  jid: string;
  lid: string | null;
  fullName: string | null;
  firstName: string | null;
  pushName: string | null;
  businessName: string | null;
  inAddressBook: boolean;
  updatedAt: Date;
}

/** Later patches of the same user win field by field; an address-book change replaces the earlier one. */
export function mergeContactPatches(patches: ContactPatch[]): ContactPatch[] {
  const merged = new Map<string, ContactPatch>();
  for (const p of patches) {
    const key = `${p.sessionId} ${p.jid}`;
    const before = merged.get(key);
    const defined = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== null)) as Partial<ContactPatch>;
    merged.set(key, before ? { ...before, ...defined, book: p.book ?? before.book } : { ...p });
  }
  return [...merged.values()];
}

/** The session address books: the only code that reads and writes `contacts`. */
export const contactRepository = {
  /**
   * Applies patches in one statement per kind (merged first, so each user appears once):
   * learned details never erase what is stored (a missing push name keeps the old one);
   * address-book changes replace the saved names.
   */
  async upsertMany(patches: ContactPatch[]): Promise<void> {
    const rows = mergeContactPatches(patches).map((p) => ({
      session_id: p.sessionId,
      jid: p.jid,
      lid: p.lid ?? null,
      push_name: p.pushName ?? null,
      business_name: p.businessName ?? null,
      full_name: p.book ? p.book.fullName : (p.fullName ?? null),
      first_name: p.book ? p.book.firstName : null,
      in_address_book: p.book ? p.book.saved : Boolean(p.saved),
      book: Boolean(p.book),
    }));
    const learned = rows.filter((r) => !r.book);
    const booked = rows.filter((r) => r.book);
    if (learned.length) {
      await db().$executeRaw`
        INSERT INTO "contacts" AS c ("session_id", "jid", "lid", "push_name", "business_name", "full_name", "first_name", "in_address_book", "updated_at")
        SELECT r.session_id, r.jid, r.lid, r.push_name, r.business_name, r.full_name, NULL, r.in_address_book, now()
        FROM jsonb_to_recordset(${JSON.stringify(learned)}::jsonb)
          AS r(session_id uuid, jid text, lid text, push_name text, business_name text, full_name text, in_address_book boolean)
        ON CONFLICT ("session_id", "jid") DO UPDATE SET
          "lid" = COALESCE(EXCLUDED."lid", c."lid"),
          "push_name" = COALESCE(EXCLUDED."push_name", c."push_name"),
          "business_name" = COALESCE(EXCLUDED."business_name", c."business_name"),
          "full_name" = COALESCE(EXCLUDED."full_name", c."full_name"),
          "in_address_book" = c."in_address_book" OR EXCLUDED."in_address_book",
          "updated_at" = now()`;
    }
    if (booked.length) {
      await db().$executeRaw`
        INSERT INTO "contacts" AS c ("session_id", "jid", "lid", "push_name", "business_name", "full_name", "first_name", "in_address_book", "updated_at")
        SELECT r.session_id, r.jid, r.lid, r.push_name, r.business_name, r.full_name, r.first_name, r.in_address_book, now()
        FROM jsonb_to_recordset(${JSON.stringify(booked)}::jsonb)
          AS r(session_id uuid, jid text, lid text, push_name text, business_name text, full_name text, first_name text, in_address_book boolean)
        ON CONFLICT ("session_id", "jid") DO UPDATE SET
          "lid" = COALESCE(EXCLUDED."lid", c."lid"),
          "push_name" = COALESCE(EXCLUDED."push_name", c."push_name"),
          "business_name" = COALESCE(EXCLUDED."business_name", c."business_name"),
          "full_name" = EXCLUDED."full_name",
          "first_name" = EXCLUDED."first_name",
          "in_address_book" = EXCLUDED."in_address_book",
          "updated_at" = now()`;
    }
  },

  /** A session's address book, by JID. */
  async list(sessionId: string): Promise<StoredContact[]> {
    return db().contact.findMany({
      where: { sessionId },
      orderBy: { jid: 'asc' },
      select: { jid: true, lid: true, fullName: true, firstName: true, pushName: true, businessName: true, inAddressBook: true, updatedAt: true },
    });
  },
};
