import { jidNormalizedUser, type GroupMetadata, type WASocket } from 'baileys';
import { ApiError, badRequest, forbidden, notFound, whatsAppErrorCode } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import type { GroupMetadataCache } from '../../whatsapp/groups/metadata-cache';

/** A group JID (`…@g.us`) from a field, or 400 naming the field. A bare group id gets `@g.us`. */
export function groupJid(raw: string, field: string): string {
  const value = raw.trim();
  const match = /^(\d{5,30}(?:-\d{5,15})?)(@g\.us)?$/.exec(value);
  if (!match) throw badRequest(`${field}: must be a group JID (…@g.us), got ${value || 'an empty value'}`);
  return `${match[1]}@g.us`;
}

/** The connected session's socket, its group cache and its own user (PN and LID JIDs). */
export function groupSession(sessionId: string): { sock: WASocket; groups: GroupMetadataCache; me: { jid: string | null; lid: string | null } } {
  const { runner, sock } = connectedSession(sessionId);
  const me = { jid: sock.user?.id ? jidNormalizedUser(sock.user.id) : null, lid: sock.user?.lid ? jidNormalizedUser(sock.user.lid) : null };
  return { sock, groups: runner.groups, me };
}

/**
 * What WhatsApp's refusal of a group request means for the caller: not allowed (this account is
 * not an admin, or not a member) is a 403 and an unknown group a 404, each naming WhatsApp's
 * answer; anything else keeps the usual mapping (a 502 naming it).
 */
export function groupRefusal(error: unknown, group: string): unknown {
  if (error instanceof ApiError) return error;
  const code = whatsAppErrorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (code === 401 || code === 403) return forbidden(`not allowed in ${group}: this account is not an admin (or not a member) there; WhatsApp answered ${text} (${code})`);
  if (code === 404) return notFound(`group ${group} not found: WhatsApp answered ${text} (${code})`);
  return error;
}

/** Runs a group request, turning WhatsApp's "not allowed" and "no such group" into 403 and 404. */
export async function inGroup<T>(group: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw groupRefusal(error, group);
  }
}

/** The group's metadata (cached, else one query), with 403/404 from WhatsApp's answer. */
export function metadataOf(groups: GroupMetadataCache, group: string): Promise<GroupMetadata> {
  return inGroup(group, () => groups.get(group));
}
