import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

/** Runs a program (no shell) and answers its stdout; rejects with the tail of stderr on failure. */
export function runTool(program: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      if (stdout.length < 65_536) stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${program} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Runs `work` with a fresh temporary directory holding `input` as `in.<ext>`; removes it afterwards. */
export async function withTempInput<T>(input: Buffer, ext: string, work: (inputPath: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wago-media-'));
  try {
    const inputPath = join(dir, `in.${ext.replace(/[^a-z0-9]/gi, '') || 'bin'}`);
    await writeFile(inputPath, input);
    return await work(inputPath, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

