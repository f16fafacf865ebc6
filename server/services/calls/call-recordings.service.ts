import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { getRuntime } from '../../runtime/registry';
import { callFolders } from '../../calls/call-folders';
import { fileToRead, sessionFolder } from '../../calls/media-paths';

/** A recording in the session's recordings folder. */
export interface RecordingFile {
  /** Relative to the session's recordings folder (what /call/record's `Path` names). */
  Path: string;
  Bytes: number;
  ModifiedAt: string;
}

const root = (sessionId: string) => sessionFolder(callFolders(getRuntime().config).recordings, sessionId);

/** Every WAV file in the session's recordings folder and its sub-folders, newest first. */
export async function listRecordings(sessionId: string): Promise<{ Recordings: RecordingFile[] }> {
  const base = root(sessionId);
  const found: RecordingFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.wav$/i.test(entry.name)) {
        const info = await stat(path);
        found.push({ Path: relative(base, path).split(sep).join('/'), Bytes: info.size, ModifiedAt: info.mtime.toISOString() });
      }
    }
  };
  await walk(base);
  return { Recordings: found.sort((a, b) => b.ModifiedAt.localeCompare(a.ModifiedAt)) };
}

/**
 * The absolute path of one of the session's recordings, confined to its folder (400 naming `path`
 * for `..`, absolute paths, links leading out, or no such file).
 */
export function recordingFile(sessionId: string, path: string): Promise<string> {
  return fileToRead(root(sessionId), path, 'path');
}
