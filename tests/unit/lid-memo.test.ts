import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WASocket } from 'baileys';
import { LidMemo, lidResolverOf, type LidResolver } from '../../server/whatsapp/lid-memo';

/** Baileys' mapping store as far as WaGo asks it: counts the questions, answers from `pairs`. */
function source(pairs: Record<string, string>) {
  const asked: string[] = [];
  const reverse = Object.fromEntries(Object.entries(pairs).map(([pn, lid]) => [lid, pn]));
  const resolver: LidResolver = {
    getLIDForPN: async (pn) => (asked.push(pn), pairs[pn] ?? null),
    getPNForLID: async (lid) => (asked.push(lid), reverse[lid] ?? null),
  };
  return { resolver, asked, pairs };
}

test('a found pair is answered from memory until it expires; an unknown one is asked every time', async () => {
  const s = source({ '1555@s.whatsapp.net': '99@lid' });
  let now = 0;
  const memo = new LidMemo(s.resolver, () => now);
  assert.equal(await memo.getLIDForPN('1555@s.whatsapp.net'), '99@lid');
  assert.equal(await memo.getLIDForPN('1555@s.whatsapp.net'), '99@lid');
  assert.equal(await memo.getPNForLID('99@lid'), '1555@s.whatsapp.net');
  assert.equal(await memo.getPNForLID('99@lid'), '1555@s.whatsapp.net');
  assert.deepEqual(s.asked, ['1555@s.whatsapp.net', '99@lid'], 'each asked once');
  assert.equal(await memo.getLIDForPN('1666@s.whatsapp.net'), null);
  assert.equal(await memo.getLIDForPN('1666@s.whatsapp.net'), null);
  assert.equal(s.asked.filter((j) => j === '1666@s.whatsapp.net').length, 2, 'unknown: asked again');
  now += 11 * 60_000;
  s.pairs['1555@s.whatsapp.net'] = '77@lid';
  assert.equal(await memo.getLIDForPN('1555@s.whatsapp.net'), '77@lid', 'expired: asked again');
});

test("a socket's memo is shared by every caller and forgets everything when Baileys announces a mapping change", async () => {
  const s = source({ '1555@s.whatsapp.net': '99@lid' });
  const ev = new EventEmitter();
  const sock = { signalRepository: { lidMapping: s.resolver }, ev } as unknown as WASocket;
  assert.equal(lidResolverOf(sock), lidResolverOf(sock));
  assert.equal(await lidResolverOf(sock).getLIDForPN('1555@s.whatsapp.net'), '99@lid');
  assert.equal(await lidResolverOf(sock).getLIDForPN('1555@s.whatsapp.net'), '99@lid');
  assert.equal(s.asked.length, 1);
  s.pairs['1555@s.whatsapp.net'] = '42@lid';
  ev.emit('lid-mapping.update', { lid: '42@lid', pn: '1555@s.whatsapp.net' });
  assert.equal(await lidResolverOf(sock).getLIDForPN('1555@s.whatsapp.net'), '42@lid');
  assert.equal(s.asked.length, 2);
});
