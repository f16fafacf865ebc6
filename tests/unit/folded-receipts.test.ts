import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proto, type WAMessage } from 'baileys';
import { mapFoldedReceipts } from '../../server/whatsapp/events/map-messages';

const { Status } = proto.WebMessageInfo;
const own = (remoteJid: string, status: number, extra: Partial<WAMessage> = {}): WAMessage => ({
  key: { id: 'M1', remoteJid, fromMe: true },
  message: { conversation: 'hi' },
  status,
  ...extra,
});

test("a contact's receipt Baileys folded into the own message it still held becomes a ReadReceipt", async () => {
  const [delivered] = await mapFoldedReceipts(own('15550002001@s.whatsapp.net', Status.DELIVERY_ACK), undefined);
  assert.deepEqual({ ...delivered, timestamp: 0 }, {
    chat: { jid: '15550002001@s.whatsapp.net', lid: null },
    sender: { jid: '15550002001@s.whatsapp.net', lid: null },
    messageIds: ['M1'],
    type: 'delivered',
    timestamp: 0,
  });
  assert.equal((await mapFoldedReceipts(own('15550002001@s.whatsapp.net', Status.READ), undefined))[0]?.type, 'read');
  assert.equal((await mapFoldedReceipts(own('123@lid', Status.PLAYED), undefined))[0]?.type, 'played');
});

test('no receipt where nothing was folded: sent only, received messages, groups (their receipts are per member)', async () => {
  assert.deepEqual(await mapFoldedReceipts(own('15550002001@s.whatsapp.net', Status.SERVER_ACK), undefined), []);
  assert.deepEqual(await mapFoldedReceipts({ ...own('15550002001@s.whatsapp.net', Status.DELIVERY_ACK), key: { id: 'M2', remoteJid: '15550002001@s.whatsapp.net', fromMe: false } }, undefined), []);
  assert.deepEqual(await mapFoldedReceipts(own('120363000000000001@g.us', Status.DELIVERY_ACK), undefined), []);
  assert.deepEqual(await mapFoldedReceipts(own('status@broadcast', Status.DELIVERY_ACK), undefined), []);
});

test("group members' folded receipts: one ReadReceipt per member, naming the member", async () => {
  const msg = own('120363000000000001@g.us', Status.SERVER_ACK, {
    userReceipt: [
      { userJid: '15550002001@s.whatsapp.net', receiptTimestamp: 100 },
      { userJid: '15550002002@s.whatsapp.net', readTimestamp: 101 },
    ],
  });
  const receipts = await mapFoldedReceipts(msg, undefined);
  assert.deepEqual(receipts.map((r) => [r.sender.jid, r.type, r.timestamp]), [
    ['15550002001@s.whatsapp.net', 'delivered', 100],
    ['15550002002@s.whatsapp.net', 'read', 101],
  ]);
});
