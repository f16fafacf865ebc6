import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEncryptionKey, parseEncryptionKey } from '../../server/lib/encryption-key';

test('the generated key is created once, even when several processes start together, and kept private', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wago-key-'));
  try {
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadEncryptionKey(undefined, dir)));
    const keys = new Set(loaded.map((l) => l.key.toString('hex')));
    assert.equal(keys.size, 1, 'everyone uses the same key');
    assert.equal(loaded.filter((l) => l.source === 'generated').length, 1, 'exactly one generated it');
    assert.equal(statSync(join(dir, 'encryption.key')).mode & 0o777, 0o600);
    const again = await loadEncryptionKey(undefined, dir);
    assert.equal(again.source, 'file');
    assert.equal(again.key.toString('hex'), [...keys][0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAGO_ENCRYPTION_KEY takes 64 hex characters or base64 of 32 bytes', () => {
  assert.equal(parseEncryptionKey('ab'.repeat(32)).length, 32);
  assert.equal(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64')).length, 32);
  assert.throws(() => parseEncryptionKey('short'), /32 bytes/);
});
