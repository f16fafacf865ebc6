import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeContactPatches } from '../../server/repositories/contact.repository';
import { contactPatchOf } from '../../server/contacts/store-writer';

const S = '00000000-0000-4000-8000-000000000001';

test('patches of one user merge field by field; later values win, missing ones keep earlier ones', () => {
  const merged = mergeContactPatches([
    { sessionId: S, jid: 'a@s.whatsapp.net', pushName: 'Ann', lid: '1@lid' },
    { sessionId: S, jid: 'b@s.whatsapp.net', pushName: 'Ben' },
    { sessionId: S, jid: 'a@s.whatsapp.net', pushName: 'Annie', lid: null, businessName: 'Ann Ltd' },
  ]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0], { sessionId: S, jid: 'a@s.whatsapp.net', pushName: 'Annie', lid: '1@lid', businessName: 'Ann Ltd', book: undefined });
  assert.equal(merged[1].pushName, 'Ben');
});

test('the latest address-book change of a user wins; a learned name after it leaves it in place', () => {
  const [saved] = mergeContactPatches([
    { sessionId: S, jid: 'a@s.whatsapp.net', book: { saved: true, fullName: 'Ann Lee', firstName: 'Ann' } },
    { sessionId: S, jid: 'a@s.whatsapp.net', book: { saved: false, fullName: null, firstName: null } },
    { sessionId: S, jid: 'a@s.whatsapp.net', pushName: 'Annie' },
  ]);
  assert.deepEqual(saved.book, { saved: false, fullName: null, firstName: null });
  assert.equal(saved.pushName, 'Annie');
});

test('a ContactUpdate event becomes a patch keyed by the phone-number JID, else the LID', () => {
  const base = { fullName: null, pushName: 'Ann', businessName: null, savedInAddressBook: null, picture: null, source: 'message' as const };
  assert.deepEqual(contactPatchOf(S, { ...base, user: { jid: 'a@s.whatsapp.net', lid: '1@lid' } }), {
    sessionId: S, jid: 'a@s.whatsapp.net', lid: '1@lid', pushName: 'Ann', businessName: null, fullName: null, saved: false,
  });
  assert.equal(contactPatchOf(S, { ...base, user: { jid: null, lid: '1@lid' } })?.jid, '1@lid');
  assert.equal(contactPatchOf(S, { ...base, user: { jid: null, lid: null } }), undefined);
  assert.equal(contactPatchOf(S, { ...base, savedInAddressBook: true, user: { jid: 'a@s.whatsapp.net', lid: null } })?.saved, true);
});
