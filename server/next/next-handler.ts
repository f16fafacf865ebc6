import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';

export interface NextHandle {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Paths Next serves: the dashboard, docs, tRPC, auth and Next's own assets. */
export function isNextPath(pathname: string): boolean {
  return (
    pathname === '/' ||
    pathname.startsWith('/_next/') ||
    pathname === '/dashboard' ||
    pathname.startsWith('/dashboard/') ||
    pathname === '/docs' ||
    pathname.startsWith('/docs/') ||
    pathname.startsWith('/api/') ||
    pathname === '/login' ||
    pathname === '/favicon.ico' ||
    pathname === '/icon.svg' ||
    pathname === '/robots.txt'
  );
}

/** Boots Next.js (production build from `next build`, or dev mode) inside the custom server. */
export async function startNext(opts: { dir: string; dev: boolean; hostname: string; port: number; logger: Logger }): Promise<NextHandle> {
  if (!opts.dev && !existsSync(join(opts.dir, '.next', 'BUILD_ID'))) {
    throw new Error('the dashboard is not built: run `npm run build` (npm start does it for you)');
  }
  // Loaded only when the dashboard runs (WAGO_DISABLE_NEXT=1 leaves Next.js out of the process).
  const { default: next } = await import('next');
  const app = next({ dev: opts.dev, dir: opts.dir, hostname: opts.hostname, port: opts.port, quiet: !opts.dev });
  await app.prepare();
  const handler = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  opts.logger.info({ dev: opts.dev }, 'Next.js ready');
  return {
    handle: (req, res) => handler(req, res),
    upgrade: (req, socket, head) => upgrade(req, socket, head),
    close: () => app.close(),
  };
}
