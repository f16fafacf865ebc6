import { generateMessageIDV2, type WASocket } from 'baileys';
import { prepareImage } from '../messaging/media/prepare-media';
import { groupSession, inGroup } from './group-target';

/** Changes to a group's info and settings: name, description, picture, locked, announcement mode. */

export interface GroupChangeAnswer {
  Details: string;
  GroupJID: string;
}

export async function setGroupName(sessionId: string, jid: string, name: string): Promise<GroupChangeAnswer & { Name: string }> {
  const { sock } = groupSession(sessionId);
  await inGroup(jid, () => sock.groupUpdateSubject(jid, name));
  return { Details: 'Group name set', GroupJID: jid, Name: name };
}

/** Sets the description; an empty one removes it. */
export async function setGroupDescription(sessionId: string, jid: string, description: string): Promise<GroupChangeAnswer & { Description: string }> {
  const { sock, groups } = groupSession(sessionId);
  // Baileys reads the current description id first (a metadata query): the cache has it.
  const meta = await inGroup(jid, () => groups.get(jid));
  await inGroup(jid, () => updateDescription(sock, jid, description, meta.descId));
  return { Details: description ? 'Group description set' : 'Group description removed', GroupJID: jid, Description: description };
}

/** Baileys' groupUpdateDescription, without its metadata query (the previous id comes from the cache). */
async function updateDescription(sock: WASocket, jid: string, description: string, prev: string | undefined): Promise<void> {
  await sock.query({
    tag: 'iq',
    attrs: { type: 'set', xmlns: 'w:g2', to: jid },
    content: [
      {
        tag: 'description',
        attrs: { ...(description ? { id: generateMessageIDV2() } : { delete: 'true' }), ...(prev ? { prev } : {}) },
        content: description ? [{ tag: 'body', attrs: {}, content: Buffer.from(description, 'utf-8') }] : undefined,
      },
    ],
  });
}

/** Sets the group picture from an image (base64, data URL or URL), made a 640×640 JPEG. */
export async function setGroupPhoto(sessionId: string, jid: string, image: string): Promise<GroupChangeAnswer> {
  const prepared = await prepareImage('Image', image);
  const { sock } = groupSession(sessionId);
  await inGroup(jid, () => sock.updateProfilePicture(jid, prepared.data));
  return { Details: 'Group photo set', GroupJID: jid };
}

/** Locked: only admins may edit the group's info. */
export async function setGroupLocked(sessionId: string, jid: string, locked: boolean): Promise<GroupChangeAnswer & { Locked: boolean }> {
  const { sock } = groupSession(sessionId);
  await inGroup(jid, () => sock.groupSettingUpdate(jid, locked ? 'locked' : 'unlocked'));
  return { Details: locked ? 'Group locked: only admins edit its info' : 'Group unlocked: every member edits its info', GroupJID: jid, Locked: locked };
}

/** Announcement mode: only admins may send messages. */
export async function setGroupAdminOnly(sessionId: string, jid: string, adminOnly: boolean): Promise<GroupChangeAnswer & { AdminOnly: boolean }> {
  const { sock } = groupSession(sessionId);
  await inGroup(jid, () => sock.groupSettingUpdate(jid, adminOnly ? 'announcement' : 'not_announcement'));
  return { Details: adminOnly ? 'Only admins may send messages' : 'Every member may send messages', GroupJID: jid, AdminOnly: adminOnly };
}
