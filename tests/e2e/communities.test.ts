import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatedWago, waitFor, listen, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import type { GroupInfo } from '../../server/services/groups/group-view';
import type { CommunityLinkAnswer } from '../../server/services/groups/community.service';
import type { GroupUpdateData, WagoEvent } from '../../server/events/types';

let env: EmulatedWago;
let token: string;
let live: Awaited<ReturnType<typeof listen>>;

before(async () => {
  env = await startEmulatedWago();
  token = await linkedSession(env, 'communities');
  live = await listen(env.wago.url, token);
});
after(async () => {
  live?.socket.close();
  await env?.stop();
});

const call = <T>(method: string, path: string, body?: unknown) => env.wago.call<T>(method, path, { token, body });
const emuGroup = (jid: string) => env.emu.control.group(jid);
const update = (group: string, pred: (d: GroupUpdateData) => boolean) =>
  live.next('GroupUpdate', (e) => (e as WagoEvent<'GroupUpdate'>).data.group === group && pred((e as WagoEvent<'GroupUpdate'>).data)) as Promise<WagoEvent<'GroupUpdate'>>;

async function community(name: string): Promise<GroupInfo> {
  const r = await call<GroupInfo>('POST', '/community/create', { CommunityName: name });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!;
}

async function group(name: string): Promise<string> {
  const r = await call<GroupInfo>('POST', '/group/create', { GroupName: name, Participants: [ALICE] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!.JID;
}

test('/community/create: the emulated community exists, with this account as super-admin and its general group linked', async () => {
  const c = await community('Neighbours');
  assert.equal(c.Name, 'Neighbours');
  assert.equal(c.IsCommunity, true);
  assert.ok(c.Participants.find((p) => p.JID === `${OWNER_PHONE}@s.whatsapp.net`)?.IsSuperAdmin);
  const emulated = emuGroup(c.JID);
  assert.equal(emulated.community, true);
  assert.equal(emulated.members.get(OWNER_PHONE)?.role, 'superadmin');
  const general = env.emu.world.groups.subGroups(emulated);
  assert.equal(general.length, 1);
  assert.ok(general[0]!.defaultSubGroup && general[0]!.announce);
  const info = await call<GroupInfo>('POST', '/group/info', { GroupJID: general[0]!.jid });
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.data!.IsCommunityAnnounce, true);
  assert.equal(info.body.data!.LinkedParentJID, c.JID);
});

test('/community/add and /community/remove: the community really holds the groups, then no longer; events and cache follow', async () => {
  const c = await community('Street');
  const [a, b] = [await group('Gardening'), await group('Cooking')];
  const add = await call<CommunityLinkAnswer>('POST', '/community/add', { CommunityJID: c.JID, GroupJID: [a, b] });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  assert.deepEqual(add.body.data, { CommunityJID: c.JID, Groups: [{ GroupJID: a, Status: 'linked', Code: 200 }, { GroupJID: b, Status: 'linked', Code: 200 }] });
  assert.equal(emuGroup(a).linkedParent, c.JID);
  assert.equal(emuGroup(b).linkedParent, c.JID);
  const linked = await update(c.JID, (d) => d.link?.group === a);
  assert.deepEqual(linked.data.link, { type: 'sub_group', group: a, subject: 'Gardening' });
  assert.deepEqual(linked.data.author?.jid, `${OWNER_PHONE}@s.whatsapp.net`);
  const parent = await update(a, (d) => d.link !== undefined);
  assert.deepEqual(parent.data.link, { type: 'parent_group', group: c.JID, subject: 'Street' });
  await waitFor('cached link', async () => (await call<GroupInfo>('POST', '/group/info', { GroupJID: a })).body.data?.LinkedParentJID === c.JID);

  const remove = await call<CommunityLinkAnswer>('POST', '/community/remove', { CommunityJID: c.JID, GroupJID: [a] });
  assert.equal(remove.status, 200, JSON.stringify(remove.body));
  assert.deepEqual(remove.body.data!.Groups, [{ GroupJID: a, Status: 'unlinked', Code: 200 }]);
  assert.equal(emuGroup(a).linkedParent, undefined);
  assert.equal(emuGroup(b).linkedParent, c.JID);
  const unlinked = await update(c.JID, (d) => d.unlink?.group === a);
  assert.equal(unlinked.data.unlink!.type, 'sub_group');
  await waitFor('cached unlink', async () => (await call<GroupInfo>('POST', '/group/info', { GroupJID: a })).body.data?.LinkedParentJID === null);

  // Per group: one not in the community, one unknown, one run by someone else.
  const foreign = env.emu.control.createGroup(ALICE, 'Alice runs it', [OWNER_PHONE]);
  const again = await call<CommunityLinkAnswer>('POST', '/community/remove', { CommunityJID: c.JID, GroupJID: [a] });
  assert.deepEqual(again.body.data!.Groups, [{ GroupJID: a, Status: 'not in this community', Code: 404 }]);
  const mixed = await call<CommunityLinkAnswer>('POST', '/community/add', { CommunityJID: c.JID, GroupJID: ['120363088888888888@g.us', foreign.jid] });
  assert.equal(mixed.status, 200, JSON.stringify(mixed.body));
  assert.deepEqual(mixed.body.data!.Groups.map((g) => [g.Status, g.Code]), [['group not found', 404], ['not allowed: this account is not an admin of the group', 403]]);
  assert.equal(emuGroup(foreign.jid).linkedParent, undefined);
});

test('a community this account does not administer: 403 from WhatsApp\'s answer; unknown community: 404; a plain group: 400', async () => {
  const world = env.emu.world;
  const theirs = world.groups.create(world.getByPhone(ALICE)!, 'Alice community', [world.getByPhone(OWNER_PHONE)!]);
  theirs.community = true;
  const mine = await group('Mine');
  const r = await call('POST', '/community/add', { CommunityJID: theirs.jid, GroupJID: [mine] });
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.match(r.body.error!, /not an admin.*WhatsApp answered not-authorized \(403\)/);
  assert.equal(emuGroup(mine).linkedParent, undefined);

  const unknown = await call('POST', '/community/add', { CommunityJID: '120363077777777777@g.us', GroupJID: [mine] });
  assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
  const plain = await call('POST', '/community/add', { CommunityJID: mine, GroupJID: [mine] });
  assert.equal(plain.status, 400, JSON.stringify(plain.body));
  assert.match(plain.body.error!, /^CommunityJID: .* is a group, not a community/);
});

test('bad input on /community/*: 400 naming the field; nothing changes', async () => {
  const c = await community('Untouched');
  const g = await group('Loose');
  const count = env.emu.world.groups.list().length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['/community/create', {}, /^CommunityName is required/],
    ['/community/create', { CommunityName: '  ' }, /^CommunityName: must not be empty/],
    ['/community/create', { CommunityName: 5 }, /^CommunityName: expected string/],
    ['/community/add', { GroupJID: [g] }, /^CommunityJID is required/],
    ['/community/add', { CommunityJID: c.JID }, /^GroupJID is required/],
    ['/community/add', { CommunityJID: c.JID, GroupJID: g }, /^GroupJID: expected array/],
    ['/community/add', { CommunityJID: c.JID, GroupJID: [] }, /^GroupJID: must list at least one group/],
    ['/community/add', { CommunityJID: c.JID, GroupJID: [g, 'nope'] }, /^GroupJID\[1\]: must be a group JID/],
    ['/community/remove', { CommunityJID: 'x', GroupJID: [g] }, /^CommunityJID: must be a group JID/],
  ];
  for (const [path, body, message] of cases) {
    const r = await call('POST', path, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal(env.emu.world.groups.list().length, count);
  assert.equal(emuGroup(g).linkedParent, undefined);
  assert.equal(env.emu.world.groups.subGroups(emuGroup(c.JID)).length, 1);
});
