import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodePatches, newLTHashState, proto } from 'baileys';
import { encodePhonePatch, type PhoneMutation } from '../../emulator/appstate/encode';
import { emptyIntegrity } from '../../emulator/appstate/lthash';

// Patches the emulated phone makes itself must verify in a WhatsApp client that checks every MAC
// (value, index, snapshot over the collection's LT hash, patch): Baileys with MAC checks on.
test('phone-made app-state patches verify with every MAC checked, across overwrites of the same index', async () => {
  const key = { keyId: Buffer.concat([Buffer.alloc(2), randomBytes(4)]), keyData: randomBytes(32) };
  const getKey = async () => ({ keyData: key.keyData }) as proto.Message.IAppStateSyncKeyData;
  const integrity = emptyIntegrity();
  const edit = (name: string, color: number): PhoneMutation => ({ operation: 'set', index: ['label_edit', '5'], value: { timestamp: Date.now(), labelEditAction: { name, color, deleted: false } }, apiVersion: 3 });
  const chat = (labeled: boolean): PhoneMutation => ({ operation: 'set', index: ['label_jid', '5', '15550002001@s.whatsapp.net'], value: { timestamp: Date.now(), labelAssociationAction: { labeled } }, apiVersion: 3 });
  const patches = [
    encodePhonePatch('regular', 1, [edit('VIP', 1)], key, integrity),
    encodePhonePatch('regular', 2, [chat(true), edit('Gold', 2)], key, integrity),
    encodePhonePatch('regular', 3, [chat(false)], key, integrity),
  ];
  const wire = patches.map((p) => proto.SyncdPatch.decode(proto.SyncdPatch.encode(p).finish()));
  const { state, mutationMap } = await decodePatches('regular', wire, newLTHashState(), getKey, {}, undefined, undefined, true);
  assert.equal(state.version, 3);
  assert.ok(Buffer.from(state.hash).equals(integrity.hash), 'the client\'s LT hash is the emulator\'s');
  const values = Object.values(mutationMap).map((m) => m.syncAction.value);
  assert.equal(values.find((v) => v?.labelEditAction)?.labelEditAction?.name, 'Gold');
  assert.equal(values.find((v) => v?.labelAssociationAction)?.labelAssociationAction?.labeled, false);
});
