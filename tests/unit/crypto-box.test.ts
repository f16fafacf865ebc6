import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CryptoBox } from '../../server/lib/crypto-box';

const box = new CryptoBox(randomBytes(32));

test('what is sealed opens with the same key and associated data, and only with them', () => {
  const plain = Buffer.from('a Signal session record');
  const sealed = box.encrypt(plain, 'wa-auth:s1:session:a.0');
  assert.equal(sealed.length, 1 + 12 + 16 + plain.length);
  assert.deepEqual(box.decrypt(sealed, 'wa-auth:s1:session:a.0'), plain);
  assert.throws(() => box.decrypt(sealed, 'wa-auth:s2:session:a.0'), 'a row moved to another session does not open');
  assert.throws(() => new CryptoBox(randomBytes(32)).decrypt(sealed, 'wa-auth:s1:session:a.0'), 'another key does not open it');
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1] ^= 1;
  assert.throws(() => box.decrypt(tampered, 'wa-auth:s1:session:a.0'));
  assert.throws(() => box.decrypt(sealed.subarray(0, 20), 'x'), /unknown format/);
});

test('every value gets its own IV, across many draws of the random generator', () => {
  const ivs = new Set<string>();
  const n = 3000; // over ten draws of 256 IVs
  for (let i = 0; i < n; i++) {
    const sealed = box.encrypt(Buffer.from([i & 255]), 'x');
    ivs.add(sealed.subarray(1, 13).toString('hex'));
    assert.equal(box.decrypt(sealed, 'x')[0], i & 255);
  }
  assert.equal(ivs.size, n);
});
