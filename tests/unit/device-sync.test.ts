import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WAMessage } from 'baileys';
import { isDeviceSyncMessage } from '../../server/whatsapp/events/device-sync';

const protocol = (type: number): WAMessage => ({ key: { id: 'X', remoteJid: '1@s.whatsapp.net', fromMe: true }, message: { protocolMessage: { type } } });

test("device-to-device plumbing is not a chat message; revokes, edits and timer changes are", () => {
  for (const [name, type] of [['history sync notice', 5], ['app-state key share', 6], ['key request', 7], ['peer data response', 17], ['LID migration', 22]] as const) {
    assert.equal(isDeviceSyncMessage(protocol(type)), true, name);
  }
  for (const [name, type] of [['revoke', 0], ['disappearing timer', 3], ['edit', 14]] as const) {
    assert.equal(isDeviceSyncMessage(protocol(type)), false, name);
  }
  assert.equal(isDeviceSyncMessage({ key: { id: 'Y' }, message: { conversation: 'hi' } }), false);
  assert.equal(isDeviceSyncMessage({ key: { id: 'Z' } }), false);
});
