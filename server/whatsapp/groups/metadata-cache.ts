import { areJidsSameUser, type GroupMetadata, type GroupParticipant, type ParticipantAction, type WASocket } from 'baileys';
import type { Logger } from '../../logger';
import { groupRepository } from '../../repositories/group.repository';

/** A participant as Baileys' group notifications name it. */
export interface NotifiedParticipant {
  id: string;
  phoneNumber?: string;
  lid?: string;
}

/** Whether a metadata participant and a notified one are the same user (by LID or phone number). */
function sameUser(a: GroupParticipant, b: NotifiedParticipant): boolean {
  const mine = [a.id, a.phoneNumber, a.lid].filter((x): x is string => Boolean(x));
  const theirs = [b.id, b.phoneNumber, b.lid].filter((x): x is string => Boolean(x));
  return mine.some((x) => theirs.some((y) => areJidsSameUser(x, y)));
}

/**
 * The group metadata a session knows: in memory, behind it PostgreSQL, behind that one query to
 * WhatsApp (shared by every caller asking for the same group at once). Kept current from WhatsApp's
 * group notifications (see group-events.ts) so neither sends (Baileys' `cachedGroupMetadata`) nor
 * lookups query WhatsApp again: it rate-limits metadata queries.
 */
export class GroupMetadataCache {
  private readonly memory = new Map<string, GroupMetadata>();
  private readonly inFlight = new Map<string, Promise<GroupMetadata>>();
  /** Groups read from the database once (a miss there is remembered too). */
  private readonly loaded = new Set<string>();

  constructor(
    private readonly sessionId: string,
    private readonly socket: () => WASocket | undefined,
    private readonly log: Logger,
  ) {}

  /** For Baileys' `cachedGroupMetadata`: the metadata, fetched once when unknown; undefined when that fails (Baileys then asks itself and reports the error). */
  async forSend(jid: string): Promise<GroupMetadata | undefined> {
    try {
      return await this.get(jid);
    } catch (error) {
      this.log.warn({ err: error, group: jid }, 'group metadata for a send could not be fetched');
      return undefined;
    }
  }

  /** The group's metadata: memory, database, else one query to WhatsApp. WhatsApp's refusal is thrown. */
  async get(jid: string): Promise<GroupMetadata> {
    const known = await this.known(jid);
    return known ?? this.fetch(jid);
  }

  /** What the session knows without asking WhatsApp. */
  async known(jid: string): Promise<GroupMetadata | undefined> {
    const hit = this.memory.get(jid);
    if (hit || this.loaded.has(jid)) return hit;
    const stored = await groupRepository.get(this.sessionId, jid);
    this.loaded.add(jid);
    if (stored && !this.memory.has(jid)) this.memory.set(jid, stored);
    return this.memory.get(jid);
  }

  /** Asks WhatsApp for the group's metadata (one query however many callers wait) and keeps it. */
  fetch(jid: string): Promise<GroupMetadata> {
    const running = this.inFlight.get(jid);
    if (running) return running;
    const sock = this.socket();
    if (!sock) return Promise.reject(new Error('the session is not connected'));
    const job = sock
      .groupMetadata(jid)
      .then(async (meta) => {
        await this.set(meta);
        return meta;
      })
      .finally(() => this.inFlight.delete(jid));
    this.inFlight.set(jid, job);
    return job;
  }

  async set(meta: GroupMetadata): Promise<void> {
    this.memory.set(meta.id, meta);
    this.loaded.add(meta.id);
    await groupRepository.save(this.sessionId, meta);
  }

  /** Replaces the whole cache with a full listing of the session's groups. */
  async replaceAll(groups: GroupMetadata[]): Promise<void> {
    this.memory.clear();
    for (const g of groups) {
      this.memory.set(g.id, g);
      this.loaded.add(g.id);
    }
    await groupRepository.replaceAll(this.sessionId, groups);
  }

  /** Forgets every group (the session logged out: a new link may be another account). */
  async clear(): Promise<void> {
    this.memory.clear();
    this.loaded.clear();
    await groupRepository.deleteAll(this.sessionId);
  }

  async forget(jid: string): Promise<void> {
    this.memory.delete(jid);
    this.loaded.add(jid);
    await groupRepository.delete(this.sessionId, jid);
  }

  /** Applies a change WhatsApp reported; unknown groups stay unknown (fetched when next needed). */
  async update(jid: string, change: Partial<GroupMetadata>): Promise<void> {
    const meta = await this.known(jid);
    if (!meta) return;
    await this.set({ ...meta, ...change, id: meta.id, participants: change.participants ?? meta.participants });
  }

  /** Applies a membership change WhatsApp reported. `me` (the session's own user) leaving drops the group. */
  async participants(jid: string, action: ParticipantAction | 'leave', who: NotifiedParticipant[], me: NotifiedParticipant | undefined): Promise<void> {
    const meta = await this.known(jid);
    if (!meta) return;
    if ((action === 'remove' || action === 'leave') && me && who.some((p) => sameUser({ id: me.id, phoneNumber: me.phoneNumber, lid: me.lid }, p))) {
      await this.forget(jid);
      return;
    }
    let list = meta.participants;
    if (action === 'add') {
      const fresh = who.filter((p) => !list.some((m) => sameUser(m, p)));
      list = [...list, ...fresh.map((p) => ({ id: p.id, phoneNumber: p.phoneNumber, lid: p.lid, admin: null }))];
    } else if (action === 'remove' || action === 'leave') {
      list = list.filter((m) => !who.some((p) => sameUser(m, p)));
    } else if (action === 'promote' || action === 'demote') {
      list = list.map((m) => (who.some((p) => sameUser(m, p)) ? { ...m, admin: action === 'promote' ? (m.admin === 'superadmin' ? 'superadmin' : 'admin') : null } : m));
    } else {
      return;
    }
    await this.set({ ...meta, participants: list, size: list.length });
  }
}
