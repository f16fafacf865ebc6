import { areJidsSameUser, isLidUser, jidNormalizedUser, type GroupMetadata, type GroupParticipant } from 'baileys';

/** A member of a group as the group routes answer it. */
export interface GroupMember {
  /** Phone-number JID, when known. */
  JID: string | null;
  /** LID, when known. */
  LID: string | null;
  IsAdmin: boolean;
  IsSuperAdmin: boolean;
}

/** A group (or community) as the group routes answer it. */
export interface GroupInfo {
  JID: string;
  Name: string;
  /** The description. */
  Topic: string | null;
  Owner: { JID: string | null; LID: string | null } | null;
  /** Unix seconds. */
  Created: number | null;
  /** Only admins may edit the group's info. */
  IsLocked: boolean;
  /** Only admins may send messages. */
  IsAnnounce: boolean;
  /** Disappearing-messages timer in seconds (0: off). */
  EphemeralSeconds: number;
  IsCommunity: boolean;
  /** The community's general (announcement) group. */
  IsCommunityAnnounce: boolean;
  /** The community this group is linked to. */
  LinkedParentJID: string | null;
  Size: number;
  Participants: GroupMember[];
}

function pair(id: string | undefined, alt: string | undefined): { JID: string | null; LID: string | null } {
  const ids = [id, alt].filter((x): x is string => Boolean(x)).map((x) => jidNormalizedUser(x));
  return { JID: ids.find((x) => !isLidUser(x)) ?? null, LID: ids.find((x) => isLidUser(x)) ?? null };
}

export function memberOf(p: GroupParticipant): GroupMember {
  const ids = pair(p.id, p.phoneNumber ?? p.lid);
  return { ...ids, IsAdmin: p.admin === 'admin' || p.admin === 'superadmin', IsSuperAdmin: p.admin === 'superadmin' };
}

export function groupInfo(meta: GroupMetadata): GroupInfo {
  return {
    JID: meta.id,
    Name: meta.subject ?? '',
    Topic: meta.desc ?? null,
    Owner: meta.owner || meta.ownerPn ? pair(meta.owner, meta.ownerPn) : null,
    Created: meta.creation ?? null,
    IsLocked: Boolean(meta.restrict),
    IsAnnounce: Boolean(meta.announce),
    EphemeralSeconds: meta.ephemeralDuration ?? 0,
    IsCommunity: Boolean(meta.isCommunity),
    IsCommunityAnnounce: Boolean(meta.isCommunityAnnounce),
    LinkedParentJID: meta.linkedParent ?? null,
    Size: meta.participants.length,
    Participants: meta.participants.map(memberOf),
  };
}

/** Whether `who` (the session's own PN/LID JIDs) is the participant `p`. */
export function isMe(p: GroupParticipant, who: { jid: string | null; lid: string | null }): boolean {
  return [p.id, p.phoneNumber, p.lid].some((x) => x && [who.jid, who.lid].some((m) => m && areJidsSameUser(x, m)));
}

/** The session's own role in the group. */
export function myRole(meta: GroupMetadata, who: { jid: string | null; lid: string | null }): GroupParticipant['admin'] | 'none' {
  const p = meta.participants.find((x) => isMe(x, who));
  return p ? (p.admin ?? null) : 'none';
}
