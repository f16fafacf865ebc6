import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Parses WAGO_ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64. */
export function parseEncryptionKey(raw: string): Buffer {
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('WAGO_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');
  return key;
}

/**
 * The key that encrypts session keys and secrets at rest: WAGO_ENCRYPTION_KEY when set, else a
 * key generated once and kept in the data folder (`encryption.key`, mode 0600).
 */
export async function loadEncryptionKey(envValue: string | undefined, dataDir: string): Promise<{ key: Buffer; source: 'env' | 'file' | 'generated' }> {
  if (envValue) return { key: parseEncryptionKey(envValue), source: 'env' };
  const dir = resolve(dataDir);
  const file = join(dir, 'encryption.key');
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) return { key: parseEncryptionKey(await readFile(file, 'utf8')), source: 'file' };
  await mkdir(dir, { recursive: true });
  const key = randomBytes(32);
  try {
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process sharing the data folder created it at the same moment: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: parseEncryptionKey(await readFile(file, 'utf8')), source: 'file' };
  }
  return { key, source: 'generated' };
}
