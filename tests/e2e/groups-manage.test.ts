import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { startEmulatedWago, waitFor, OWNER_PHONE, ALICE, type EmulatedWago, linkedSession } from '../helpers/emulated-wago';
import { dataUrl, png } from '../fixtures/media/generate';
import type { GroupInfo } from '../../server/services/groups/group-view';
import type { UpdateParticipantsAnswer } from '../../server/services/groups/group-membership.service';

let env: EmulatedWago;
let token: string;
const BOB = '15550002002';
const CAROL = '15550002003';
const NOBODY = '15559990001';
const UNKNOWN_GROUP = '120363099999999999@g.us';
const pn = (phone: string) => `${phone}@s.whatsapp.net`;

let pictures: Server;
let picturesUrl: string;

before(async () => {
  // Group pictures given as URLs come from here (a private address: allowed for this test).
  const picture = await png(120, 90, { r: 0, g: 90, b: 200 });
  pictures = createServer((req, res) => {
    if (req.url === '/team.png') res.writeHead(200, { 'content-type': 'image/png' }).end(picture);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
  picturesUrl = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}`;
  env = await startEmulatedWago({ WAGO_MEDIA_ALLOW_PRIVATE_URLS: '1' });
  token = await linkedSession(env, 'groups');
});
after(async () => {
  await env?.stop();
  await new Promise((resolve) => pictures?.close(resolve));
});

const call = <T>(method: string, path: string, body?: unknown) => env.wago.call<T>(method, path, { token, body });
const emuGroup = (jid: string) => env.emu.control.group(jid);
const role = (jid: string, phone: string) => emuGroup(jid).members.get(phone)?.role;

async function ownGroup(name: string, members = [ALICE, BOB]): Promise<GroupInfo> {
  const r = await call<GroupInfo>('POST', '/group/create', { GroupName: name, Participants: members });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data!;
}

test('/group/create: the emulated group exists with this account as super-admin; unknown numbers are reported, not added', async () => {
  const r = await call<GroupInfo & { NotAdded: string[] }>('POST', '/group/create', { GroupName: 'Team', Participants: [ALICE, `+${BOB}`, NOBODY] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const info = r.body.data!;
  assert.match(info.JID, /^\d+@g\.us$/);
  assert.equal(info.Name, 'Team');
  assert.deepEqual(info.NotAdded, [pn(NOBODY)]);
  const group = emuGroup(info.JID);
  assert.equal(group.subject, 'Team');
  assert.deepEqual([...group.members.keys()].sort(), [OWNER_PHONE, ALICE, BOB].sort());
  assert.equal(role(info.JID, OWNER_PHONE), 'superadmin');
  const me = info.Participants.find((p) => p.JID === pn(OWNER_PHONE));
  assert.ok(me?.IsSuperAdmin && me.IsAdmin, JSON.stringify(info.Participants));
  const alice = info.Participants.find((p) => p.JID === pn(ALICE));
  assert.equal(alice?.LID, `${env.emu.world.getByPhone(ALICE)!.lid}@lid`);
  assert.equal(alice?.IsAdmin, false);
});

test('/group/list, /group/myall and /group/info: every group with participants and admins; myall only the administered ones', async () => {
  const mine = await ownGroup('Mine');
  const foreign = env.emu.control.createGroup(ALICE, 'Alice runs this', [OWNER_PHONE, BOB]);
  const list = await call<{ Groups: GroupInfo[] }>('GET', '/group/list');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const listed = new Map(list.body.data!.Groups.map((g) => [g.JID, g]));
  assert.ok(listed.has(mine.JID) && listed.has(foreign.jid));
  assert.equal(listed.get(foreign.jid)!.Name, 'Alice runs this');
  assert.equal(listed.get(foreign.jid)!.Owner?.JID, pn(ALICE));
  const aliceThere = listed.get(foreign.jid)!.Participants.find((p) => p.JID === pn(ALICE));
  assert.ok(aliceThere?.IsSuperAdmin);
  assert.equal(listed.get(foreign.jid)!.Participants.length, 3);

  const myall = await call<{ Groups: GroupInfo[] }>('GET', '/group/myall');
  assert.equal(myall.status, 200, JSON.stringify(myall.body));
  const myJids = myall.body.data!.Groups.map((g) => g.JID);
  assert.ok(myJids.includes(mine.JID));
  assert.ok(!myJids.includes(foreign.jid), 'a group where this account is a plain member is not "mine"');

  const info = await call<GroupInfo>('POST', '/group/info', { GroupJID: foreign.jid });
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.data!.Name, 'Alice runs this');
  assert.deepEqual(info.body.data!.Participants.map((p) => p.JID).sort(), [pn(OWNER_PHONE), pn(ALICE), pn(BOB)].sort());
});

test('/group/name, /group/description, /group/lock, /group/adminonly and /group/photo change the emulated group', async () => {
  const g = await ownGroup('Settings');
  const name = await call<{ Name: string }>('POST', '/group/name', { GroupJID: g.JID, Name: 'Renamed' });
  assert.equal(name.status, 200, JSON.stringify(name.body));
  assert.equal(name.body.data!.Name, 'Renamed');
  assert.equal(emuGroup(g.JID).subject, 'Renamed');

  const desc = await call('POST', '/group/description', { GroupJID: g.JID, Description: 'What we do' });
  assert.equal(desc.status, 200, JSON.stringify(desc.body));
  assert.equal(emuGroup(g.JID).description?.text, 'What we do');
  const removed = await call('POST', '/group/description', { GroupJID: g.JID, Description: '' });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.equal(emuGroup(g.JID).description, undefined);

  for (const Lock of [true, false, true]) {
    const r = await call<{ Locked: boolean }>('POST', '/group/lock', { GroupJID: g.JID, Lock });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data!.Locked, Lock);
    assert.equal(emuGroup(g.JID).locked, Lock);
  }
  for (const AdminOnly of [true, false]) {
    const r = await call<{ AdminOnly: boolean }>('POST', '/group/adminonly', { GroupJID: g.JID, AdminOnly });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(emuGroup(g.JID).announce, AdminOnly);
  }

  const photo = await call('POST', '/group/photo', { GroupJID: g.JID, Image: dataUrl('image/png', await png(300, 200)) });
  assert.equal(photo.status, 200, JSON.stringify(photo.body));
  const picture = emuGroup(g.JID).picture;
  assert.ok(picture, 'the group has a picture');
  const meta = await sharp(picture.data).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(picture.author.phone, OWNER_PHONE);

  // Plain base64 and a URL are taken too, like every media field; a URL that fails is a 400.
  const plain = await call('POST', '/group/photo', { GroupJID: g.JID, Image: (await png(50, 50)).toString('base64') });
  assert.equal(plain.status, 200, JSON.stringify(plain.body));
  const fromUrl = await call('POST', '/group/photo', { GroupJID: g.JID, Image: `${picturesUrl}/team.png` });
  assert.equal(fromUrl.status, 200, JSON.stringify(fromUrl.body));
  const last = emuGroup(g.JID).picture!;
  assert.notEqual(last.id, picture.id);
  const { width, height } = await sharp(last.data).metadata();
  assert.deepEqual([width, height], [640, 640]);
  const missing = await call('POST', '/group/photo', { GroupJID: g.JID, Image: `${picturesUrl}/missing.png` });
  assert.equal(missing.status, 400, JSON.stringify(missing.body));
  assert.match(missing.body.error!, /^Image: /);
  assert.equal(emuGroup(g.JID).picture!.id, last.id);

  // The cached metadata follows WhatsApp's notifications of these changes.
  await waitFor('cached info', async () => {
    const info = (await call<GroupInfo>('POST', '/group/info', { GroupJID: g.JID })).body.data!;
    return info.Name === 'Renamed' && info.IsLocked && !info.IsAnnounce && info.Topic === null;
  });
});

test('/group/update: added, promoted, demoted, removed, not on WhatsApp, needs invite, already a participant', async () => {
  const g = await ownGroup('Members', [ALICE]);
  const picky = env.emu.control.createAccount({ phone: '15550003001', name: 'Picky' });
  env.emu.control.updateAccount(picky.phone, { groupAdd: 'none' });

  const add = await call<UpdateParticipantsAnswer>('POST', '/group/update', { GroupJID: g.JID, ParticipantJID: [BOB, NOBODY, picky.phone, ALICE], Action: 'add' });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  const byJid = new Map(add.body.data!.Participants.map((p) => [p.JID, p]));
  assert.equal(byJid.get(pn(BOB))?.Status, 'added');
  assert.equal(byJid.get(pn(BOB))?.LID, `${env.emu.world.getByPhone(BOB)!.lid}@lid`);
  assert.equal(byJid.get(pn(NOBODY))?.Status, 'not on WhatsApp');
  assert.equal(byJid.get(pn(picky.phone))?.Status, 'needs invite');
  assert.equal(byJid.get(pn(picky.phone))?.Code, 403);
  assert.match(byJid.get(pn(picky.phone))?.InviteCode ?? '', /^\S{6,}$/);
  assert.ok((byJid.get(pn(picky.phone))?.InviteExpiration ?? 0) > Date.now() / 1000);
  assert.equal(byJid.get(pn(ALICE))?.Status, 'already a participant');
  assert.ok(emuGroup(g.JID).members.has(BOB));
  assert.ok(!emuGroup(g.JID).members.has(picky.phone));

  const promote = await call<UpdateParticipantsAnswer>('POST', '/group/update', { GroupJID: g.JID, ParticipantJID: [pn(ALICE)], Action: 'promote' });
  assert.equal(promote.body.data!.Participants[0]!.Status, 'promoted');
  assert.equal(role(g.JID, ALICE), 'admin');
  const demote = await call<UpdateParticipantsAnswer>('POST', '/group/update', { GroupJID: g.JID, ParticipantJID: [ALICE], Action: 'demote' });
  assert.equal(demote.body.data!.Participants[0]!.Status, 'demoted');
  assert.equal(role(g.JID, ALICE), 'member');
  const remove = await call<UpdateParticipantsAnswer>('POST', '/group/update', { GroupJID: g.JID, ParticipantJID: [BOB, CAROL], Action: 'remove' });
  assert.deepEqual(remove.body.data!.Participants.map((p) => p.Status), ['removed', 'not a participant']);
  assert.ok(!emuGroup(g.JID).members.has(BOB));

  await waitFor('cached members', async () => {
    const info = (await call<GroupInfo>('POST', '/group/info', { GroupJID: g.JID })).body.data!;
    return info.Participants.length === 2 && info.Participants.every((p) => p.JID !== pn(BOB));
  });
});

test('/group/invitelink: the code works on the emulated side; Reset revokes it; /group/join takes a code or a link', async () => {
  const g = await ownGroup('Invites', [ALICE]);
  const link = await call<{ Code: string; InviteLink: string; Reset: boolean }>('POST', '/group/invitelink', { GroupJID: g.JID });
  assert.equal(link.status, 200, JSON.stringify(link.body));
  const first = link.body.data!;
  assert.equal(first.Code, emuGroup(g.JID).inviteCode);
  assert.equal(first.InviteLink, `https://chat.whatsapp.com/${first.Code}`);
  assert.equal(first.Reset, false);
  const reset = await call<{ Code: string; Reset: boolean }>('POST', '/group/invitelink', { GroupJID: g.JID, Reset: true });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  assert.notEqual(reset.body.data!.Code, first.Code);
  assert.equal(emuGroup(g.JID).inviteCode, reset.body.data!.Code);
  assert.equal(env.emu.world.groups.byInvite(first.Code), undefined, 'the old code no longer opens the group');

  // Joining: a group Alice runs, by its link; then by a code that no group has.
  const other = env.emu.control.createGroup(ALICE, 'Open club', [BOB]);
  const join = await call<{ GroupJID: string }>('POST', '/group/join', { Code: `https://chat.whatsapp.com/${other.inviteCode}` });
  assert.equal(join.status, 200, JSON.stringify(join.body));
  assert.equal(join.body.data!.GroupJID, other.jid);
  assert.ok(emuGroup(other.jid).members.has(OWNER_PHONE));
  const revoked = await call('POST', '/group/join', { Code: first.Code });
  assert.equal(revoked.status, 404, JSON.stringify(revoked.body));
  assert.match(revoked.body.error!, /invite code/);

  const leave = await call('POST', '/group/leave', { GroupId: other.jid });
  assert.equal(leave.status, 200, JSON.stringify(leave.body));
  assert.ok(!emuGroup(other.jid).members.has(OWNER_PHONE));
  // No longer a member: WhatsApp refuses to say anything about the group.
  const again = await call('POST', '/group/leave', { GroupId: other.jid });
  assert.equal(again.status, 403, JSON.stringify(again.body));
  assert.match(again.body.error!, /WhatsApp answered forbidden \(403\)/);
});

test('not admin: 403 built from WhatsApp\'s answer and nothing changes; unknown group: 404', async () => {
  const foreign = env.emu.control.createGroup(ALICE, 'Alice only', [OWNER_PHONE, BOB]);
  const before = JSON.stringify(env.emu.control.groups().find((g) => g.jid === foreign.jid));
  const cases: Array<[string, unknown]> = [
    ['/group/lock', { GroupJID: foreign.jid, Lock: true }],
    ['/group/adminonly', { GroupJID: foreign.jid, AdminOnly: true }],
    ['/group/update', { GroupJID: foreign.jid, ParticipantJID: [CAROL], Action: 'add' }],
    ['/group/update', { GroupJID: foreign.jid, ParticipantJID: [BOB], Action: 'remove' }],
    ['/group/invitelink', { GroupJID: foreign.jid, Reset: true }],
  ];
  for (const [path, body] of cases) {
    const r = await call(path === '/group/list' ? 'GET' : 'POST', path, body);
    assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, /not an admin.*WhatsApp answered not-authorized \(403\)/, path);
  }
  // Locked by Alice: the name is admins' business too.
  env.emu.control.changeGroup(foreign.jid, ALICE, { locked: true });
  const name = await call('POST', '/group/name', { GroupJID: foreign.jid, Name: 'Mine now' });
  assert.equal(name.status, 403, JSON.stringify(name.body));
  const after = JSON.stringify({ ...env.emu.control.groups().find((g) => g.jid === foreign.jid), locked: false });
  assert.equal(after, before);

  for (const [path, body] of [
    ['/group/info', { GroupJID: UNKNOWN_GROUP }],
    ['/group/name', { GroupJID: UNKNOWN_GROUP, Name: 'x' }],
    ['/group/lock', { GroupJID: UNKNOWN_GROUP, Lock: true }],
    ['/group/update', { GroupJID: UNKNOWN_GROUP, ParticipantJID: [ALICE], Action: 'add' }],
    ['/group/leave', { GroupId: UNKNOWN_GROUP }],
  ] as const) {
    const r = await call('POST', path, body);
    assert.equal(r.status, 404, `${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, /not found.*item-not-found \(404\)/, path);
  }
});

test('bad input: 400 naming the field, and the emulated groups are unchanged', async () => {
  const g = await ownGroup('Untouched', [ALICE]);
  const snapshot = () => JSON.stringify(env.emu.control.groups());
  const count = env.emu.world.groups.list().length;
  const before = snapshot();
  const cases: Array<[string, unknown, RegExp]> = [
    ['/group/info', {}, /^GroupJID is required/],
    ['/group/info', { GroupJID: 'nope' }, /^GroupJID: must be a group JID/],
    ['/group/info', { GroupJID: pn(ALICE) }, /^GroupJID: must be a group JID/],
    ['/group/name', { GroupJID: g.JID }, /^Name is required/],
    ['/group/name', { GroupJID: g.JID, Name: '   ' }, /^Name: must not be empty/],
    ['/group/name', { GroupJID: g.JID, Name: 'x'.repeat(101) }, /^Name: must be at most 100/],
    ['/group/description', { GroupJID: g.JID }, /^Description is required/],
    ['/group/lock', { GroupJID: g.JID }, /^Lock is required/],
    ['/group/lock', { GroupJID: g.JID, Lock: 'yes' }, /^Lock: expected boolean/],
    ['/group/adminonly', { GroupJID: g.JID, AdminOnly: 1 }, /^AdminOnly: expected boolean/],
    ['/group/photo', { GroupJID: g.JID }, /^Image is required/],
    ['/group/photo', { GroupJID: g.JID, Image: 'not an image!' }, /^Image: /],
    ['/group/photo', { GroupJID: g.JID, Image: dataUrl('application/pdf', Buffer.from('%PDF-1.4 nothing')) }, /^Image: /],
    ['/group/create', { Participants: [ALICE] }, /^GroupName is required/],
    ['/group/create', { GroupName: 'x' }, /^Participants is required/],
    ['/group/create', { GroupName: 'x', Participants: [] }, /^Participants: must list at least one/],
    ['/group/create', { GroupName: 'x', Participants: [ALICE, 'abc'] }, /^Participants\[1\]: /],
    ['/group/create', { GroupName: 'x', Participants: [g.JID] }, /^Participants\[0\]: must be a phone number or a user JID/],
    ['/group/update', { GroupJID: g.JID, ParticipantJID: [BOB] }, /^Action is required/],
    ['/group/update', { GroupJID: g.JID, ParticipantJID: [BOB], Action: 'kick' }, /^Action: must be one of add, remove, promote, demote/],
    ['/group/update', { GroupJID: g.JID, ParticipantJID: 'x', Action: 'add' }, /^ParticipantJID: expected array/],
    ['/group/update', { GroupJID: g.JID, ParticipantJID: ['12'], Action: 'add' }, /^ParticipantJID\[0\]: must have 7 to 15 digits/],
    ['/group/join', {}, /^Code is required/],
    ['/group/join', { Code: 'https://example.com/abc' }, /^Code: must be an invite code/],
    ['/group/leave', {}, /^GroupId is required/],
    ['/group/leave', { GroupId: 'x@g.us' }, /^GroupId: must be a group JID/],
    ['/group/invitelink', { GroupJID: g.JID, Reset: 'true' }, /^Reset: expected boolean/],
  ];
  for (const [path, body, message] of cases) {
    const r = await call('POST', path, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal(env.emu.world.groups.list().length, count);
  assert.equal(snapshot(), before);
});
