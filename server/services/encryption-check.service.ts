import { getRuntime } from '../runtime/registry';
import { settingRepository } from '../repositories/setting.repository';

const KEY = 'encryption_key_fingerprint';

/**
 * Refuses to start with an encryption key other than the one the database was written with
 * (a changed WAGO_ENCRYPTION_KEY or a lost data folder would make every stored key unreadable).
 */
export async function checkEncryptionKey(): Promise<void> {
  const fingerprint = getRuntime().crypto.fingerprint();
  if (await settingRepository.setIfAbsent(KEY, fingerprint)) return;
  const stored = await settingRepository.get(KEY);
  if (stored !== fingerprint) {
    throw new Error(
      'the encryption key differs from the one this database was written with: set WAGO_ENCRYPTION_KEY to the original key (or restore encryption.key in WAGO_DATA_DIR)',
    );
  }
}
