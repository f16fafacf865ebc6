import { z } from 'zod';
import { onOwner, router, sessionProcedure } from '../init';
import { groupJid } from '../../services/groups/group-target';
import { getInviteLink, listGroups } from '../../services/groups/group-query.service';
import { setGroupName } from '../../services/groups/group-settings.service';
import { leaveGroup } from '../../services/groups/group-membership.service';

const sessionId = z.object({ sessionId: z.string() });
const oneGroup = sessionId.extend({ groupJid: z.string().max(128) });

/** The session's groups, over the same services as the /group REST routes (run where the session's socket is). */
export const groupRouter = router({
  list: sessionProcedure.input(sessionId).query((o) => onOwner(o, () => listGroups(o.ctx.session.id))),
  inviteLink: sessionProcedure.input(oneGroup).query((o) => onOwner(o, () => getInviteLink(o.ctx.session.id, groupJid(o.input.groupJid, 'groupJid'), false))),
  resetInviteLink: sessionProcedure.input(oneGroup).mutation((o) => onOwner(o, () => getInviteLink(o.ctx.session.id, groupJid(o.input.groupJid, 'groupJid'), true))),
  rename: sessionProcedure
    .input(oneGroup.extend({ name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters') }))
    .mutation((o) => onOwner(o, () => setGroupName(o.ctx.session.id, groupJid(o.input.groupJid, 'groupJid'), o.input.name))),
  leave: sessionProcedure.input(oneGroup).mutation((o) => onOwner(o, () => leaveGroup(o.ctx.session.id, groupJid(o.input.groupJid, 'groupJid')))),
});
