import type { BinaryNode } from 'baileys';
import { badRequest, notFound, whatsAppErrorCode } from '../../http/errors';
import { recipient } from '../messaging/outgoing';
import { groupInfo, memberOf, type GroupInfo } from './group-view';
import { groupSession, inGroup, metadataOf } from './group-target';

/** Membership: creating a group, adding/removing/promoting/demoting members, joining by link, leaving. */

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

/** User JIDs from a list field (phone numbers or user JIDs), or 400 naming the entry. */
function userJids(values: string[], field: string): string[] {
  if (!values.length) throw badRequest(`${field}: must list at least one participant`);
  const jids = values.map((v, i) => {
    const jid = recipient(v, `${field}[${i}]`);
    if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid')) throw badRequest(`${field}[${i}]: must be a phone number or a user JID, got ${v}`);
    return jid;
  });
  return [...new Set(jids)];
}

export interface CreateGroupAnswer extends GroupInfo {
  /** Requested participants WhatsApp did not put in the group (not on WhatsApp, or they do not allow being added). */
  NotAdded: string[];
}

export async function createGroup(sessionId: string, name: string, participants: string[]): Promise<CreateGroupAnswer> {
  if (!name.trim()) throw badRequest('GroupName: must not be empty');
  const jids = userJids(participants, 'Participants');
  const { sock, groups } = groupSession(sessionId);
  const meta = await sock.groupCreate(name, jids);
  await groups.set(meta);
  const info = groupInfo(meta);
  const notAdded = jids.filter((j) => !info.Participants.some((p) => p.JID === j || p.LID === j));
  return { ...info, NotAdded: notAdded };
}

export interface ParticipantResult {
  JID: string | null;
  LID: string | null;
  /** added, removed, promoted, demoted, or why not: not on WhatsApp, needs invite, already a participant… */
  Status: string;
  /** WhatsApp's code for this participant (200: done). */
  Code: number;
  /** With `needs invite`: the code of the invite WhatsApp issued for this user (send it with /send/groupinvite). */
  InviteCode?: string;
  /** Unix seconds the invite expires. */
  InviteExpiration?: number;
}

const DONE: Record<ParticipantAction, string> = { add: 'added', remove: 'removed', promote: 'promoted', demote: 'demoted' };

function statusOf(action: ParticipantAction, code: number): string {
  if (code === 200) return DONE[action];
  if (code === 403 && action === 'add') return 'needs invite';
  if (code === 404) return action === 'add' ? 'not on WhatsApp' : 'not a participant';
  if (code === 409) return 'already a participant';
  if (code === 406) return 'not allowed for the group creator';
  if (code === 408) return 'recently left the group';
  if (code === 401) return 'blocked';
  return `refused by WhatsApp (${code})`;
}

export interface UpdateParticipantsAnswer {
  GroupJID: string;
  Action: ParticipantAction;
  Participants: ParticipantResult[];
}

export async function updateParticipants(sessionId: string, jid: string, raw: string[], action: ParticipantAction): Promise<UpdateParticipantsAnswer> {
  const jids = userJids(raw, 'ParticipantJID');
  const { sock } = groupSession(sessionId);
  const results = await inGroup(jid, () => sock.groupParticipantsUpdate(jid, jids, action));
  return {
    GroupJID: jid,
    Action: action,
    Participants: results.map((r) => {
      const node = r.content as BinaryNode;
      const code = Number(r.status) || 200;
      const ids = memberOf({ id: r.jid ?? node.attrs.jid ?? '', phoneNumber: node.attrs.phone_number });
      const invite = Array.isArray(node.content) ? (node.content as BinaryNode[]).find((c) => c.tag === 'add_request') : undefined;
      return {
        JID: ids.JID,
        LID: ids.LID,
        Status: statusOf(action, code),
        Code: code,
        ...(invite ? { InviteCode: invite.attrs.code, InviteExpiration: Number(invite.attrs.expiration) } : {}),
      };
    }),
  };
}

/** An invite code, from a code or a `https://chat.whatsapp.com/<code>` link. */
export function inviteCode(raw: string): string {
  const value = raw.trim();
  const link = /^(?:https?:\/\/)?chat\.whatsapp\.com\/(?:invite\/)?([A-Za-z0-9_-]+)\/?$/i.exec(value);
  const code = link ? link[1] : value;
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(code)) throw badRequest(`Code: must be an invite code or a https://chat.whatsapp.com/… link, got ${value || 'an empty value'}`);
  return code;
}

export async function joinGroup(sessionId: string, raw: string): Promise<{ Details: string; GroupJID: string }> {
  const code = inviteCode(raw);
  const { sock, groups } = groupSession(sessionId);
  let jid: string | undefined;
  try {
    jid = await sock.groupAcceptInvite(code);
  } catch (error) {
    if (whatsAppErrorCode(error) === 404) throw notFound(`no group has the invite code ${code} (revoked or wrong): WhatsApp answered ${(error as Error).message} (404)`);
    throw error;
  }
  if (!jid) throw new Error('WhatsApp answered no group');
  await groups.fetch(jid);
  return { Details: 'Joined the group', GroupJID: jid };
}

export async function leaveGroup(sessionId: string, jid: string): Promise<{ Details: string; GroupJID: string }> {
  const { sock, groups } = groupSession(sessionId);
  // WhatsApp answers a leave of a group one is not in with success: its metadata answers 403 then.
  await metadataOf(groups, jid);
  await inGroup(jid, () => sock.groupLeave(jid));
  await groups.forget(jid);
  return { Details: 'Left the group', GroupJID: jid };
}
