import { actorFromCookieHeader } from '../../../server/auth/dashboard-session';
import { ApiError } from '../../../server/http/errors';
import { requireSessionAccess } from '../../../server/services/access.service';
import { downloadStoredMedia } from '../../../server/services/message-download.service';

export const dynamic = 'force-dynamic';

/** Types a browser may show inline from here; anything else is only downloaded. */
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/[a-z0-9.+-]+|video\/(mp4|webm))$/i;

/**
 * The media of one stored message for the signed-in dashboard account (the inbox's previews and
 * downloads): `?sessionId=…&chatJid=…&messageId=…`, `&download=1` to save it. The same access check
 * as every dashboard call (another tenant's session is not found); the file is fetched from
 * WhatsApp's media host and decrypted with the keys the message store kept, never read from a path.
 */
export async function GET(req: Request): Promise<Response> {
  const actor = await actorFromCookieHeader(req.headers.get('cookie'));
  if (!actor) return Response.json({ error: 'sign in first' }, { status: 401 });
  const url = new URL(req.url);
  const chatJid = url.searchParams.get('chatJid') ?? '';
  const messageId = url.searchParams.get('messageId') ?? '';
  try {
    const session = await requireSessionAccess(actor, url.searchParams.get('sessionId') ?? '');
    if (!chatJid || chatJid.length > 200) return Response.json({ error: 'chatJid: is required' }, { status: 400 });
    if (!messageId || messageId.length > 200) return Response.json({ error: 'messageId: is required' }, { status: 400 });
    const media = await downloadStoredMedia(session.id, chatJid, messageId);
    const mimetype = media.mimetype.split(';')[0]!.trim();
    const inline = INLINE.test(mimetype) && url.searchParams.get('download') !== '1';
    const fileName = (media.fileName ?? `${media.kind}-${messageId}`).replace(/[^A-Za-z0-9._ -]/g, '_');
    return new Response(new Uint8Array(media.data), {
      headers: {
        'content-type': inline ? media.mimetype : (INLINE.test(mimetype) ? media.mimetype : 'application/octet-stream'),
        'content-length': String(media.data.length),
        'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${fileName}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=3600',
      },
    });
  } catch (error) {
    if (error instanceof ApiError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
