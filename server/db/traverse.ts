import { chmod, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Gives "others" the right to traverse (x, not read) every ancestor of `path` that lacks it.
 * Needed when WaGo runs as root in a private folder: PostgreSQL then runs as the `postgres`
 * user, which must reach its binaries and its data folder. Returns the folders changed.
 */
export async function ensureTraversable(path: string, uid: number): Promise<string[]> {
  const changed: string[] = [];
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const info = await stat(dir);
    if (!info.isDirectory() || info.uid === uid || (info.mode & 0o001) !== 0) continue;
    await chmod(dir, (info.mode & 0o7777) | 0o001);
    changed.push(dir);
  }
  return changed;
}
