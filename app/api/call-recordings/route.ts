import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { actorFromCookieHeader } from '../../../server/auth/dashboard-session';
import { ApiError } from '../../../server/http/errors';
import { requireSessionAccess } from '../../../server/services/access.service';
import { recordingFile } from '../../../server/services/calls/call-recordings.service';

export const dynamic = 'force-dynamic';

/**
 * Downloads one of a session's call recordings for the signed-in dashboard account:
 * `?sessionId=…&path=…` (the path relative to the session's recordings folder, confined to it).
 * The same access check as every dashboard call (another tenant's session is not found).
 */
export async function GET(req: Request): Promise<Response> {
  const actor = await actorFromCookieHeader(req.headers.get('cookie'));
  if (!actor) return Response.json({ error: 'sign in first' }, { status: 401 });
  const url = new URL(req.url);
  try {
    const session = await requireSessionAccess(actor, url.searchParams.get('sessionId') ?? '');
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
