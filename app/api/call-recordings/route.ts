import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { actorFromCookieHeader } from '../../../server/auth/dashboard-session';
import { ApiError } from '../../../server/http/errors';
import { FORWARDED_HEADER } from '../../../server/http/forward';
import { getRuntime } from '../../../server/runtime/registry';
import { requireSessionAccess } from '../../../server/services/access.service';
import { recordingFile } from '../../../server/services/calls/call-recordings.service';

export const dynamic = 'force-dynamic';

/**
 * Downloads one of a session's call recordings for the signed-in dashboard account:
 * `?sessionId=…&path=…` (the path relative to the session's recordings folder, confined to it).
 * The same access check as every dashboard call (another tenant's session is not found). The
 * recordings are on the disk of the process that runs the session: another process passes the
 * request on to it, as the same signed-in account.
 */
export async function GET(req: Request): Promise<Response> {
  const actor = await actorFromCookieHeader(req.headers.get('cookie'));
  if (!actor) return Response.json({ error: 'sign in first' }, { status: 401 });
  const url = new URL(req.url);
  try {
    const session = await requireSessionAccess(actor, url.searchParams.get('sessionId') ?? '');
    const runtime = getRuntime();
    const ownerUrl = req.headers.get(FORWARDED_HEADER) ? null : await runtime.sessions.remoteOwner(session.id);
    if (ownerUrl) return await fromOwner(new URL(`${url.pathname}${url.search}`, ownerUrl), req.headers.get('cookie'), runtime.instanceId);
    const file = await recordingFile(session.id, url.searchParams.get('path') ?? '');
    const info = await stat(file);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'content-type': 'audio/wav',
        'content-length': String(info.size),
        'content-disposition': `attachment; filename="${basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof ApiError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}

/** The owner's answer, streamed through (503 when it cannot be reached). */
async function fromOwner(target: URL, cookie: string | null, selfId: string): Promise<Response> {
  const headers: Record<string, string> = { [FORWARDED_HEADER]: selfId };
  if (cookie) headers.cookie = cookie;
  let answer: Response;
  try {
    answer = await fetch(target, { headers, signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new ApiError(503, `the WaGo process that runs this session is unreachable (${(error as Error).message}); retry shortly`);
  }
  const passed = new Headers();
  for (const name of ['content-type', 'content-length', 'content-disposition', 'cache-control']) {
    const value = answer.headers.get(name);
    if (value) passed.set(name, value);
  }
  return new Response(answer.body, { status: answer.status, headers: passed });
}
