import { z } from 'zod';
import { defineRoute } from '../http/route';
import { needs } from './schemas';
import { groupInfoAnswer, groupJidField } from './group-schemas';
import { groupJid } from '../services/groups/group-target';
import { createCommunity, linkGroups } from '../services/groups/community.service';

const TAG = 'Communities';
const groupsField = z.array(z.string().max(128)).max(100).describe('Group JIDs (…@g.us)');
const linkInput = needs(z.object({ CommunityJID: groupJidField('The community: its JID (…@g.us)').optional(), GroupJID: groupsField.optional() }), 'CommunityJID', 'GroupJID');
const linkAnswer = z.object({
  CommunityJID: z.string(),
  Groups: z.array(z.object({ GroupJID: z.string(), Status: z.string(), Code: z.number().describe("WhatsApp's code (200: done)") })),
});
const RIGHTS = 'Needs admin rights in the community (else 403 with WhatsApp\'s answer; an unknown community is a 404) and in each group (else that group\'s result says so).';

export const communityRoutes = [
  defineRoute({
    method: 'POST',
    path: '/community/create',
    auth: 'session',
    tag: TAG,
    summary: 'Create community.',
    description: 'Creates a community with this account as its creator; WhatsApp also creates its general announcement group, linked to it.',
    input: needs(z.object({ CommunityName: z.string().max(100, 'must be at most 100 characters').optional() }), 'CommunityName'),
    output: groupInfoAnswer,
    handler: async ({ input, caller }) => createCommunity(caller.session.id, input.CommunityName),
  }),
  defineRoute({
    method: 'POST',
    path: '/community/add',
    auth: 'session',
    tag: TAG,
    summary: 'Community add.',
    description: `Links groups to the community; a result per group (\`linked\`, or why not: \`group not found\`, \`already in another community\`, not allowed…). ${RIGHTS}`,
    input: linkInput,
    output: linkAnswer,
    handler: async ({ input, caller }) => linkGroups(caller.session.id, groupJid(input.CommunityJID, 'CommunityJID'), input.GroupJID, true),
  }),
  defineRoute({
    method: 'POST',
    path: '/community/remove',
    auth: 'session',
    tag: TAG,
    summary: 'Community remove.',
    description: `Unlinks groups from the community; a result per group (\`unlinked\`, or \`not in this community\`…). ${RIGHTS}`,
    input: linkInput,
    output: linkAnswer,
    handler: async ({ input, caller }) => linkGroups(caller.session.id, groupJid(input.CommunityJID, 'CommunityJID'), input.GroupJID, false),
  }),
];
