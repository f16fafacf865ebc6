import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecipientDirectory } from '../../server/whatsapp/send/recipient-check';

const TTL = { knownMs: 24 * 3600_000, unknownMs: 60_000 };

/** WhatsApp as far as the check asks it: `registered` numbers are on it; every question is counted. */
function whatsApp(registered: string[]) {
  const asked: string[] = [];
  const on = new Set(registered);
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  return {
    asked,
    on,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
    query: async (jid: string) => {
      asked.push(jid);
      await gate;
      return on.has(jid);
    },
  };
}

test('a known number is answered from memory synchronously (no promise) until the long TTL ends', async () => {
  const wa = whatsApp(['1@s.whatsapp.net']);
  let now = 0;
  const dir = new RecipientDirectory(TTL, () => now);
  assert.equal(await dir.isOnWhatsApp('1@s.whatsapp.net', wa.query), true);
  assert.equal(dir.isOnWhatsApp('1@s.whatsapp.net', wa.query), true, 'a plain boolean, not a promise');
  now += TTL.knownMs - 1;
  assert.equal(dir.isOnWhatsApp('1@s.whatsapp.net', wa.query), true);
  assert.deepEqual(wa.asked, ['1@s.whatsapp.net']);
  now += 1;
  assert.equal(await dir.isOnWhatsApp('1@s.whatsapp.net', wa.query), true);
  assert.equal(wa.asked.length, 2, 'asked again after the known TTL');
});

test('an unknown number is remembered for the short TTL, then asked again and found when it registered', async () => {
  const wa = whatsApp([]);
  let now = 0;
  const dir = new RecipientDirectory(TTL, () => now);
  assert.equal(await dir.isOnWhatsApp('2@s.whatsapp.net', wa.query), false);
  assert.equal(dir.isOnWhatsApp('2@s.whatsapp.net', wa.query), false);
  wa.on.add('2@s.whatsapp.net');
  now += TTL.unknownMs - 1;
  assert.equal(dir.isOnWhatsApp('2@s.whatsapp.net', wa.query), false, 'still remembered');
  now += 1;
  assert.equal(await dir.isOnWhatsApp('2@s.whatsapp.net', wa.query), true);
  assert.equal(wa.asked.length, 2);
});

test('concurrent first checks of one number share one query; a failed query is not remembered', async () => {
  const wa = whatsApp(['3@s.whatsapp.net']);
  const dir = new RecipientDirectory(TTL);
  wa.hold();
  const answers = Array.from({ length: 20 }, () => dir.isOnWhatsApp('3@s.whatsapp.net', wa.query));
  wa.release();
  assert.deepEqual(await Promise.all(answers), Array(20).fill(true));
  assert.equal(wa.asked.length, 1);

  let fail = true;
  const flaky = async (jid: string) => {
    wa.asked.push(jid);
    if (fail) throw new Error('timed out');
    return true;
  };
  await assert.rejects(Promise.resolve(dir.isOnWhatsApp('4@s.whatsapp.net', flaky)), /timed out/);
  fail = false;
  assert.equal(await dir.isOnWhatsApp('4@s.whatsapp.net', flaky), true, 'asked again after a failure');
});

test('memory is bounded: the oldest answer is dropped first', async () => {
  const wa = whatsApp(['a', 'b', 'c']);
  const dir = new RecipientDirectory(TTL, Date.now, 2);
  for (const jid of ['a', 'b', 'c']) await dir.isOnWhatsApp(jid, wa.query);
  assert.equal(dir.isOnWhatsApp('c', wa.query), true);
  assert.equal(dir.isOnWhatsApp('b', wa.query), true);
  assert.equal(await dir.isOnWhatsApp('a', wa.query), true);
  assert.deepEqual(wa.asked, ['a', 'b', 'c', 'a'], 'only the evicted one was asked again');
});
