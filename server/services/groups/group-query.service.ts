import { areJidsSameUser, type GroupMetadata } from 'baileys';
import { groupInfo, myRole, type GroupInfo } from './group-view';
import { groupSession, inGroup, metadataOf } from './group-target';

/** Group lookups: the account's groups, one group's info, its invite link. */

export interface GroupListAnswer {
  Groups: GroupInfo[];
}

/** Every group the account is in, asked of WhatsApp (one query), which also refreshes the cache. */
async function participating(sessionId: string): Promise<{ groups: GroupMetadata[]; me: { jid: string | null; lid: string | null } }> {
  const { sock, groups, me } = groupSession(sessionId);
  const all = Object.values(await sock.groupFetchAllParticipating());
  await groups.replaceAll(all);
  all.sort((a, b) => (a.creation ?? 0) - (b.creation ?? 0) || a.id.localeCompare(b.id));
  return { groups: all, me };
}

export async function listGroups(sessionId: string): Promise<GroupListAnswer> {
  const { groups } = await participating(sessionId);
  return { Groups: groups.map(groupInfo) };
}

/** The groups this account created or administers. */
export async function myGroups(sessionId: string): Promise<GroupListAnswer> {
  const { groups, me } = await participating(sessionId);
  const mine = groups.filter((g) => {
    const created = [g.owner, g.ownerPn].some((o) => o && [me.jid, me.lid].some((m) => m && areJidsSameUser(o, m)));
    const role = myRole(g, me);
    return created || role === 'admin' || role === 'superadmin';
  });
  return { Groups: mine.map(groupInfo) };
}

/** One group's info, from the session's cache (kept current from WhatsApp's notifications). */
export async function getGroupInfo(sessionId: string, jid: string): Promise<GroupInfo> {
  const { groups } = groupSession(sessionId);
  return groupInfo(await metadataOf(groups, jid));
}

export interface InviteLinkAnswer {
  GroupJID: string;
  Code: string;
  InviteLink: string;
  /** The previous link was revoked (it no longer works). */
  Reset: boolean;
}

/** The group's invite link; with `reset` WhatsApp revokes the current one and issues a new one. */
export async function getInviteLink(sessionId: string, jid: string, reset: boolean): Promise<InviteLinkAnswer> {
  const { sock } = groupSession(sessionId);
  const code = await inGroup(jid, () => (reset ? sock.groupRevokeInvite(jid) : sock.groupInviteCode(jid)));
  if (!code) throw new Error('WhatsApp answered no invite code');
  return { GroupJID: jid, Code: code, InviteLink: `https://chat.whatsapp.com/${code}`, Reset: reset };
}
