import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { badRequest } from '../http/errors';

/**
 * Files the call routes read and write stay inside their configured folders: a path is relative
 * to its folder, has no `..` segment, and no symbolic link may lead it out. Anything else is
 * refused with 400 naming the field, before any file is opened or created.
 */

/** The path's shape alone: relative, no `..`, no NUL, not empty. */
function checkShape(raw: string, field: string): void {
  if (!raw || raw.includes('\0')) throw badRequest(`${field}: must be a file name relative to its folder`);
  if (isAbsolute(raw) || /^[a-zA-Z]:/.test(raw) || raw.startsWith('\\')) throw badRequest(`${field}: must be relative to its folder, not an absolute path`);
  if (raw.split(/[\\/]+/).includes('..')) throw badRequest(`${field}: must not contain ".." (paths stay inside their folder)`);
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

/** An existing file inside `root` to read (the folder's real path, symbolic links followed and checked). */
export async function fileToRead(root: string, raw: string, field: string): Promise<string> {
  checkShape(raw, field);
  const realRoot = await realpath(root).catch(() => {
    throw badRequest(`${field}: the folder for these files does not exist on the server`);
  });
  const real = await realpath(resolve(realRoot, raw)).catch(() => {
    throw badRequest(`${field}: no such file in its folder`);
  });
  if (!inside(realRoot, real)) throw badRequest(`${field}: leads out of its folder (symbolic link)`);
  if (!(await stat(real)).isFile()) throw badRequest(`${field}: not a file`);
  return real;
}

/**
 * A new file inside `root` to write: its folders are created (each checked to stay inside), and the
 * file itself must not exist yet (no overwriting, no writing through a link).
 */
export async function fileToWrite(root: string, raw: string, field: string): Promise<string> {
  checkShape(raw, field);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const target = resolve(realRoot, raw);
  if (!inside(realRoot, target)) throw badRequest(`${field}: must stay inside its folder`);
  // every existing folder on the way must really be inside (a linked folder could lead out)
  let dir = dirname(target);
  const missing: string[] = [];
  for (;;) {
    const found = await realpath(dir).catch(() => null);
    if (found) {
      if (found !== realRoot && !inside(realRoot, found)) throw badRequest(`${field}: leads out of its folder (symbolic link)`);
      break;
    }
    missing.unshift(dir);
    dir = dirname(dir);
  }
  for (const folder of missing) await mkdir(folder);
  const existing = await lstat(target).catch(() => null);
  if (existing) throw badRequest(`${field}: a file of that name exists already`);
  return target;
}

/** The folder of a session's recordings inside the recordings folder. */
export const sessionFolder = (root: string, sessionId: string) => join(root, sessionId);
