import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';

const ROOT = join(process.cwd(), 'node_modules', '@scalar', 'api-reference', 'dist', 'browser');
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.css': 'text/css' };

/** Serves Scalar's browser bundle from node_modules, so /docs works offline. */
export async function GET(_req: Request, ctx: { params: Promise<{ path: string[] }> }) {
  const { path } = await ctx.params;
  const file = normalize(join(ROOT, ...path));
  if (!file.startsWith(ROOT + sep)) return new Response('not found', { status: 404 });
  const ext = file.slice(file.lastIndexOf('.'));
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'public, max-age=86400' },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Response('not found', { status: 404 });
    throw error;
  }
}
