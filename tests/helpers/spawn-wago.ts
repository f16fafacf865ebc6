import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';
import { WAGO_NODE_IMPORTS } from '../../server/whatsapp/async-context/node-args';

export interface WagoProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `server/main.ts` as `npm start` does, in its own process, and waits for its banner.
 * `via: 'npm'` runs `npm start` itself (the child is then npm's process).
 */
export async function spawnWago(env: Record<string, string>, opts: { via?: 'node' | 'npm'; bannerTimeoutMs?: number } = {}): Promise<WagoProcess> {
  const [command, args] = opts.via === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [...WAGO_NODE_IMPORTS, join(PROJECT_ROOT, 'server', 'main.ts')]];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', WAGO_DISABLE_NEXT: '1', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const limit = opts.bannerTimeoutMs ?? 60_000;
    const timer = setTimeout(() => reject(new Error(`no banner within ${limit / 1000} s:\n${output}`)), limit);
    const check = () => {
      const m = /Admin token[^\n]*\n/.test(output) ? /is running at (http:\/\/[\d.:]+)/.exec(output) : null;
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`WaGo exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
