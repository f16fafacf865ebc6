import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren, proto, S_WHATSAPP_NET, type WASocket } from 'baileys';
import { ApiError } from '../../http/errors';

/**
 * The channel (newsletter) queries Baileys does not make itself: the subscribed list (GraphQL
 * `xwa2_newsletter_subscribed` over a `w:mex` iq) and a channel's past posts (`newsletter` iq
 * `<messages count before>`), and the reading of what WhatsApp answers.
 */

/** WhatsApp's persisted query for the channels the account follows (no variables). */
export const SUBSCRIBED_QUERY = { id: '6388546374527196', path: 'xwa2_newsletter_subscribed' } as const;

/** Channel metadata as WhatsApp's GraphQL answers it (the fields WaGo reads). */
export interface WireNewsletter {
  id: string;
  state?: { type?: string };
  thread_metadata?: {
    creation_time?: string;
    name?: { text?: string };
    description?: { text?: string };
    invite?: string;
    subscribers_count?: string;
    verification?: string;
    picture?: { id?: string; direct_path?: string };
  };
  viewer_metadata?: { mute?: string; role?: string } | null;
}

/** A GraphQL error WhatsApp answered (Baileys throws it with the error code as status). */
export function mexErrorCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('GraphQL server error')) return undefined;
  const status = (error as { output?: { statusCode?: unknown } }).output?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Runs a `w:mex` GraphQL query and returns `data[path]`; a GraphQL error becomes a 404 or a 502 naming WhatsApp's answer. */
export async function mexQuery(sock: WASocket, queryId: string, path: string, variables: Record<string, unknown>): Promise<unknown> {
  const result = await sock.query({
    tag: 'iq',
    attrs: { id: sock.generateMessageTag(), type: 'get', to: S_WHATSAPP_NET, xmlns: 'w:mex' },
    content: [{ tag: 'query', attrs: { query_id: queryId }, content: Buffer.from(JSON.stringify({ variables }), 'utf-8') }],
  });
  const body = getBinaryNodeChild(result, 'result')?.content;
  if (!(body instanceof Uint8Array)) throw new ApiError(502, `WhatsApp answered the ${path} query without a result`);
  const json = JSON.parse(Buffer.from(body).toString('utf-8')) as { data?: Record<string, unknown>; errors?: Array<{ message?: string; extensions?: { error_code?: number } }> };
  const error = json.errors?.[0];
  if (error) {
    const code = error.extensions?.error_code ?? 400;
    throw new ApiError(code === 404 ? 404 : 502, `WhatsApp refused the request: ${error.message ?? 'error'} (${code})`);
  }
  return json.data?.[path];
}

export interface WirePost {
  serverId: number;
  id: string;
  timestamp: number;
  type: string;
  message: proto.IMessage | null;
  reactions: Array<{ code: string; count: number }>;
  views: number | null;
}

function readPost(node: BinaryNode): WirePost {
  const plaintext = getBinaryNodeChild(node, 'plaintext')?.content;
  const views = getBinaryNodeChild(node, 'views_count')?.attrs.count;
  return {
    serverId: Number(node.attrs.server_id),
    id: node.attrs.id ?? '',
    timestamp: Number(node.attrs.t ?? 0),
    type: node.attrs.type ?? 'text',
    message: plaintext instanceof Uint8Array ? proto.Message.decode(plaintext) : null,
    reactions: getBinaryNodeChildren(getBinaryNodeChild(node, 'reactions'), 'reaction').map((r) => ({ code: r.attrs.code ?? '', count: Number(r.attrs.count ?? 0) })),
    views: views === undefined ? null : Number(views),
  };
}

/** A channel's posts: the newest `count` before server id `before` (all newest when absent), oldest first. */
export async function fetchPosts(sock: WASocket, jid: string, count: number, before?: number): Promise<WirePost[]> {
  const attrs: Record<string, string> = { count: String(count) };
  if (before !== undefined) attrs.before = String(before);
  const result = await sock.query({ tag: 'iq', attrs: { id: sock.generateMessageTag(), type: 'get', xmlns: 'newsletter', to: jid }, content: [{ tag: 'messages', attrs }] });
  return getBinaryNodeChildren(getBinaryNodeChild(result, 'messages'), 'message').map(readPost);
}
