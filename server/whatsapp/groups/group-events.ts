import { isJidGroup, isLidUser, jidNormalizedUser, type BinaryNode, type GroupMetadata, type WASocket } from 'baileys';
import type { GroupLinkChange, GroupUpdateData, UserRef } from '../../events/types';
import type { Logger } from '../../logger';
import { lidResolverOf } from '../lid-memo';
import type { Publish } from '../events/bind-events';
import { userRef } from '../events/jid';
import type { GroupMetadataCache, NotifiedParticipant } from './metadata-cache';
import { NotifiedPairs } from './notified-pairs';

type Node = BinaryNode & { attrs: Record<string, string> };

function childrenOf(node: BinaryNode): Node[] {
  return Array.isArray(node.content) ? (node.content as Node[]) : [];
}

function text(node: Node | undefined): string | undefined {
  const content = node?.content;
  if (content instanceof Uint8Array) return Buffer.from(content).toString('utf8');
  return typeof content === 'string' ? content : undefined;
}

/** A group setting change read from a `w:gp2` notification child: the event's fields and the cache's. */
function settingChange(child: Node): { event: Omit<GroupUpdateData, 'group' | 'author'>; meta: Partial<GroupMetadata> } | undefined {
  switch (child.tag) {
    case 'subject':
      return { event: { subject: child.attrs.subject ?? '' }, meta: { subject: child.attrs.subject ?? '', subjectTime: Number(child.attrs.s_t) || undefined } };
    case 'description': {
      const body = text(childrenOf(child).find((c) => c.tag === 'body'));
      return { event: { description: body ?? null }, meta: { desc: body, descId: body === undefined ? undefined : child.attrs.id } };
    }
    case 'announcement':
    case 'not_announcement':
      return { event: { announce: child.tag === 'announcement' }, meta: { announce: child.tag === 'announcement' } };
    case 'locked':
    case 'unlocked':
      return { event: { locked: child.tag === 'locked' }, meta: { restrict: child.tag === 'locked' } };
    case 'ephemeral':
    case 'not_ephemeral': {
      const seconds = child.tag === 'ephemeral' ? Number(child.attrs.expiration ?? 0) : 0;
      return { event: { ephemeral: seconds }, meta: { ephemeralDuration: seconds || undefined } };
    }
    case 'invite':
      return child.attrs.code ? { event: { inviteCode: child.attrs.code }, meta: {} } : undefined;
    default:
      return undefined;
  }
}

/** A community link or unlink read from a `w:gp2` notification child. */
function linkChange(child: Node): GroupLinkChange | undefined {
  if (child.tag !== 'link' && child.tag !== 'unlink') return undefined;
  const other = childrenOf(child).find((c) => c.tag === 'group');
  if (!other?.attrs.jid) return undefined;
  const type = (child.tag === 'link' ? child.attrs.link_type : child.attrs.unlink_type) === 'parent_group' ? 'parent_group' : 'sub_group';
  return { type, group: jidNormalizedUser(other.attrs.jid), subject: other.attrs.subject ?? null };
}

/**
 * Keeps the session's group metadata current from WhatsApp's group notifications and publishes
 * them as `GroupUpdate` / `GroupParticipants` events. Membership changes and new groups come from
 * Baileys' `group-participants.update` and `groups.upsert`. Subject, description and settings are
 * read from the notifications themselves: Baileys' event buffer keeps only the first
 * `groups.update` of a group per batch (a description, announce and lock change arriving together
 * would lose two), and it reports neither the disappearing timer, the picture nor community links.
 * The LID ↔ phone-number pairs notifications carry name users in events by both.
 */
export function bindGroupEvents(sock: WASocket, cache: GroupMetadataCache, publish: Publish, logger: Logger): void {
  const resolver = sock.signalRepository?.lidMapping ? lidResolverOf(sock) : undefined;
  const pairs = new NotifiedPairs();
  const me = (): NotifiedParticipant | undefined => (sock.user ? { id: jidNormalizedUser(sock.user.id), lid: sock.user.lid ? jidNormalizedUser(sock.user.lid) : undefined } : undefined);
  const user = (id: string, alt?: string): Promise<UserRef> => userRef(id, alt ?? pairs.other(id), resolver);
  const author = async (lid: string | undefined, pn: string | undefined) => (lid || pn ? user((lid ?? pn)!, lid ? pn : undefined) : null);
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
      // Only full listings (Baileys refreshes every group when WhatsApp marks them dirty): kept, no event.
      await run('groups.update', async () => {
        for (const update of events['groups.update']!) {
          if (update.id && Array.isArray(update.participants)) await cache.set(update as GroupMetadata);
        }
      });
    }
    if (events['group-participants.update']) {
      const { id, author: by, authorPn, participants, action } = events['group-participants.update'];
      await run('group-participants.update', async () => {
        const who = participants.map((p) => ({ id: p.id, phoneNumber: p.phoneNumber ?? (isLidUser(p.id) ? pairs.other(p.id) : undefined), lid: p.lid }));
        await cache.participants(id, action, who, me());
        await publish('GroupParticipants', {
          group: id,
          action,
          participants: await Promise.all(participants.map((p) => user(p.id, p.phoneNumber ?? p.lid))),
          author: await author(by, authorPn),
        });
      });
    }
  });

  // Runs before Baileys handles the notification: the pairs are known when its events come.
  sock.ws.on('CB:notification,type:w:gp2', (node: BinaryNode) => {
    const learnt = pairs.learn(node);
    if (learnt.length && sock.signalRepository?.lidMapping) {
      sock.signalRepository.lidMapping.storeLIDPNMappings(learnt).catch((error: unknown) => logger.warn({ err: error }, 'could not store LID mappings from a group notification'));
    }
    void run('w:gp2 notification', async () => {
      const group = jidNormalizedUser(node.attrs.from);
      const by = await author(node.attrs.participant, node.attrs.participant_pn);
      for (const child of childrenOf(node)) {
        const setting = settingChange(child);
        if (setting) {
          if (Object.keys(setting.meta).length) await cache.update(group, setting.meta);
          await publish('GroupUpdate', { group, author: by, ...setting.event });
          continue;
        }
        const link = linkChange(child);
        if (!link) continue;
        if (link.type === 'parent_group') await cache.update(group, { linkedParent: child.tag === 'link' ? link.group : undefined });
        await publish('GroupUpdate', { group, author: by, [child.tag]: link });
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
