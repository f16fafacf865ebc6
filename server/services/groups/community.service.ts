import { generateMessageID, getBinaryNodeChild } from 'baileys';
import { badRequest, whatsAppErrorCode } from '../../http/errors';
import { groupInfo, myRole, type GroupInfo } from './group-view';
import { groupJid, groupRefusal, groupSession, metadataOf } from './group-target';

/** Communities: a parent group holding linked groups. */

/**
 * Creates a community (and WhatsApp its general announcement group). The request is Baileys'
 * `communityCreate`, sent here because Baileys' own logs the whole answer at info level.
 */
export async function createCommunity(sessionId: string, name: string): Promise<GroupInfo> {
  if (!name.trim()) throw badRequest('CommunityName: must not be empty');
  const { sock, groups } = groupSession(sessionId);
  const result = await sock.query({
    tag: 'iq',
    attrs: { type: 'set', xmlns: 'w:g2', to: '@g.us' },
    content: [
      {
        tag: 'create',
        attrs: { subject: name },
        content: [
          { tag: 'description', attrs: { id: generateMessageID().substring(0, 12) }, content: [{ tag: 'body', attrs: {}, content: Buffer.alloc(0) }] },
          { tag: 'parent', attrs: { default_membership_approval_mode: 'request_required' } },
          { tag: 'allow_non_admin_sub_group_creation', attrs: {} },
          { tag: 'create_general_chat', attrs: {} },
        ],
      },
    ],
  });
  const id = getBinaryNodeChild(result, 'group')?.attrs.id;
  if (!id) throw new Error('WhatsApp answered no community');
  return groupInfo(await groups.fetch(id.includes('@') ? id : `${id}@g.us`));
}

export interface CommunityLinkResult {
  GroupJID: string;
  /** linked / unlinked, or why not: not found, not allowed, already in another community, not in this community. */
  Status: string;
  /** WhatsApp's code (200: done). */
  Code: number;
}

export interface CommunityLinkAnswer {
  CommunityJID: string;
  Groups: CommunityLinkResult[];
}

function linkStatus(link: boolean, code: number): string {
  if (code === 200) return link ? 'linked' : 'unlinked';
  if (code === 404) return link ? 'group not found' : 'not in this community';
  if (code === 401 || code === 403) return 'not allowed: this account is not an admin of the group';
  if (code === 409) return 'already in another community';
  if (code === 406) return 'not acceptable (a community cannot be linked)';
  return `refused by WhatsApp (${code})`;
}

/** Links (or unlinks) groups to a community, one request per group; a result per group. */
export async function linkGroups(sessionId: string, community: string, rawGroups: string[], link: boolean): Promise<CommunityLinkAnswer> {
  if (!rawGroups.length) throw badRequest('GroupJID: must list at least one group');
  const jids = [...new Set(rawGroups.map((g, i) => groupJid(g, `GroupJID[${i}]`)))];
  const { sock, groups, me } = groupSession(sessionId);
  const parent = await metadataOf(groups, community);
  if (!parent.isCommunity) throw badRequest(`CommunityJID: ${community} is a group, not a community`);
  const adminThere = ['admin', 'superadmin'].includes(myRole(parent, me) ?? '');
  const results: CommunityLinkResult[] = [];
  for (const jid of jids) {
    try {
      await (link ? sock.communityLinkGroup(jid, community) : sock.communityUnlinkGroup(jid, community));
      results.push({ GroupJID: jid, Status: linkStatus(link, 200), Code: 200 });
    } catch (error) {
      const code = whatsAppErrorCode(error);
      if (code === undefined) throw error;
      // Refused for want of admin rights in the community itself: the whole request is refused.
      if ((code === 401 || code === 403) && !adminThere) throw groupRefusal(error, community);
      results.push({ GroupJID: jid, Status: linkStatus(link, code), Code: code });
    }
  }
  return { CommunityJID: community, Groups: results };
}
