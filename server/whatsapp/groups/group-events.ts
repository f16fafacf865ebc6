import { isJidGroup, jidNormalizedUser, type BinaryNode, type GroupMetadata, type WASocket } from 'baileys';
import type { GroupLinkChange, GroupUpdateData } from '../../events/types';
import type { Logger } from '../../logger';
import { lidResolverOf } from '../lid-memo';
import type { Publish } from '../events/bind-events';
import { userRef } from '../events/jid';
import type { GroupMetadataCache, NotifiedParticipant } from './metadata-cache';

type Child = BinaryNode & { attrs: Record<string, string> };

function childrenOf(node: BinaryNode): Child[] {
  return Array.isArray(node.content) ? (node.content as Child[]) : [];
}

/** The fields of a Baileys group update that describe a change (a full listing's entries carry participants). */
function changeOf(update: Partial<GroupMetadata>): Omit<GroupUpdateData, 'group' | 'author'> {
  const change: Omit<GroupUpdateData, 'group' | 'author'> = {};
  if (update.subject !== undefined) change.subject = update.subject;
  if ('desc' in update) change.description = update.desc ?? null;
  if (update.announce !== undefined) change.announce = update.announce;
  if (update.restrict !== undefined) change.locked = update.restrict;
  if (update.inviteCode !== undefined) change.inviteCode = update.inviteCode;
  return change;
}

/**
 * Keeps the session's group metadata current from WhatsApp's group notifications and publishes
 * them as `GroupUpdate` / `GroupParticipants` events. Baileys reports members, subject,
 * description, announce and locked as events; the disappearing timer, the picture and community
 * links are read from the notifications themselves.
 */
export function bindGroupEvents(sock: WASocket, cache: GroupMetadataCache, publish: Publish, logger: Logger): void {
  const resolver = sock.signalRepository?.lidMapping ? lidResolverOf(sock) : undefined;
  const me = (): NotifiedParticipant | undefined => (sock.user ? { id: jidNormalizedUser(sock.user.id), lid: sock.user.lid ? jidNormalizedUser(sock.user.lid) : undefined } : undefined);
  const author = async (lid: string | undefined, pn: string | undefined) => (lid || pn ? userRef(lid ?? pn, lid ? pn : undefined, resolver) : null);
  const run = (what: string, job: () => Promise<void>) =>
    job().catch((error: unknown) => logger.error({ err: error, event: what }, 'could not handle a group notification'));

  sock.ev.process(async (events) => {
    if (events['groups.upsert']) {
      await run('groups.upsert', async () => {
        for (const meta of events['groups.upsert']!) {
          await cache.set({ ...meta, author: undefined, authorPn: undefined, authorUsername: undefined });
          await publish('GroupUpdate', { group: meta.id, author: await author(meta.author, meta.authorPn), created: true, subject: meta.subject });
        }
      });
    }
    if (events['groups.update']) {
      await run('groups.update', async () => {
        for (const update of events['groups.update']!) {
          if (!update.id) continue;
          // A full listing (Baileys refreshes every group when WhatsApp marks them dirty): keep it, no event.
          if (Array.isArray(update.participants)) {
            await cache.set(update as GroupMetadata);
            continue;
          }
          const change = changeOf(update);
          if (!Object.keys(change).length) continue;
          await cache.update(update.id, {
            ...(change.subject !== undefined ? { subject: change.subject, subjectTime: Math.floor(Date.now() / 1000), subjectOwner: update.author, subjectOwnerPn: update.authorPn } : {}),
            ...('description' in change ? { desc: change.description ?? undefined } : {}),
            ...(change.announce !== undefined ? { announce: change.announce } : {}),
            ...(change.locked !== undefined ? { restrict: change.locked } : {}),
          });
          await publish('GroupUpdate', { group: update.id, author: await author(update.author, update.authorPn), ...change });
        }
      });
    }
    if (events['group-participants.update']) {
      const { id, author: by, authorPn, participants, action } = events['group-participants.update'];
      await run('group-participants.update', async () => {
        const who = participants.map((p) => ({ id: p.id, phoneNumber: p.phoneNumber, lid: p.lid }));
        await cache.participants(id, action, who, me());
        await publish('GroupParticipants', {
          group: id,
          action,
          participants: await Promise.all(participants.map((p) => userRef(p.id, p.phoneNumber ?? p.lid ?? null, resolver))),
          author: await author(by, authorPn),
        });
      });
    }
  });

  // What Baileys does not report as group events: read from the notifications.
  sock.ws.on('CB:notification,type:w:gp2', (node: BinaryNode) => {
    void run('w:gp2 notification', async () => {
      const group = jidNormalizedUser(node.attrs.from);
      const by = await author(node.attrs.participant, node.attrs.participant_pn);
      for (const child of childrenOf(node)) {
        if (child.tag === 'ephemeral' || child.tag === 'not_ephemeral') {
          const seconds = child.tag === 'ephemeral' ? Number(child.attrs.expiration ?? 0) : 0;
          await cache.update(group, { ephemeralDuration: seconds || undefined });
          await publish('GroupUpdate', { group, author: by, ephemeral: seconds });
        } else if (child.tag === 'link' || child.tag === 'unlink') {
          const type = (child.tag === 'link' ? child.attrs.link_type : child.attrs.unlink_type) === 'parent_group' ? 'parent_group' : 'sub_group';
          const other = childrenOf(child).find((c) => c.tag === 'group');
          if (!other?.attrs.jid) continue;
          const change: GroupLinkChange = { type, group: jidNormalizedUser(other.attrs.jid), subject: other.attrs.subject ?? null };
          if (type === 'parent_group') await cache.update(group, { linkedParent: child.tag === 'link' ? change.group : undefined });
          await publish('GroupUpdate', { group, author: by, [child.tag]: change });
        }
      }
    });
  });
  sock.ws.on('CB:notification,type:picture', (node: BinaryNode) => {
    const group = jidNormalizedUser(node.attrs.from);
    if (!isJidGroup(group)) return;
    void run('picture notification', async () => {
      const change = childrenOf(node).find((c) => c.tag === 'set' || c.tag === 'delete');
      if (!change) return;
      await publish('GroupUpdate', { group, author: await author(change.attrs.author, undefined), picture: { id: change.tag === 'set' ? (change.attrs.id ?? null) : null } });
    });
  });
}
