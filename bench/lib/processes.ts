import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';
import { benchNode } from './node-binary';
import { WAGO_NODE_IMPORTS } from '../../server/whatsapp/async-context/node-args';
import { ensureServerBuild } from '../../scripts/lib/server-build.mjs';

if (process.env.BENCH_FROM_SOURCE !== '1' && (await ensureServerBuild(PROJECT_ROOT, { quiet: true }))) process.stdout.write('(built the server first)\n');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** What the process prints once ready (its first match is `url`); the first http:// URL by default. */
  pattern?: RegExp;
  /** The Node to run it on: the one chosen for the measured processes (`--node` / BENCH_NODE) by default. */
  node?: string;
  /** How long it may take to print it (180 s: a shared machine can be slow; longer for a process that prints its result at the end). */
  timeoutMs?: number;
}

/** Spawns a server process and waits for what it prints once ready. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv, { pattern = /(http:\/\/127\.0\.0\.1:\d+)/, node = benchNode(), timeoutMs = 180_000 }: SpawnOptions = {}): Promise<ServerProcess> {
  const child = spawn(node, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = pattern.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              // Already gone (fixture.close stops every WaGo it started, stopped ones too).
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

export function wagoArgs(): string[] {
  // BENCH_PROFILE=<folder>: WaGo profiles the measured window (see profile-window.ts).
  const profile = process.env.BENCH_PROFILE ? ['--import', join(PROJECT_ROOT, 'bench', 'lib', 'profile-window.ts')] : [];
  // BENCH_WAGO_NODE_ARGS: extra Node flags for WaGo (say --trace-gc, --max-semi-space-size=…).
  const extra = process.env.BENCH_WAGO_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // WaGo as it runs in production: the built server (`npm run build`, built here when stale), started by scripts/start.mjs;
  // BENCH_FROM_SOURCE=1 runs server/main.ts through the TypeScript loader instead.
  if (process.env.BENCH_FROM_SOURCE === '1') return [...extra, ...WAGO_NODE_IMPORTS, ...profile, join(PROJECT_ROOT, 'server', 'main.ts')];
  // Through scripts/start.mjs, as `npm start` and the container image run it (it sets the C
  // allocator's settings, then runs the built server in the same process).
  return [...extra, ...(profile.length ? ['--import', 'tsx', ...profile] : []), join(PROJECT_ROOT, 'scripts', 'start.mjs')];
}

export { cpuMs } from './machine-cpu';

export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
