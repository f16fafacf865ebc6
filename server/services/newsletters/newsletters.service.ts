import { generateProfilePicture, isJidNewsletter, proto, QueryIds, XWAPaths, type WASocket } from 'baileys';
import { ApiError, badRequest, notFound } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import { prepareImage } from '../messaging/media/prepare-media';
import { fetchPosts, mexErrorCode, mexQuery, SUBSCRIBED_QUERY, type WireNewsletter, type WirePost } from './newsletter-wire';

/**
 * WhatsApp channels (newsletters): create one, the ones the account follows, one by JID or by
 * invite link/code, follow one, and a channel's posts. Metadata goes through WhatsApp's GraphQL
 * (`w:mex`) queries, posts through the `newsletter` iq.
 */

export const CHANNEL_LINK_PREFIX = 'https://whatsapp.com/channel/';

export interface NewsletterInfo {
  Jid: string;
  Name: string;
  Description: string;
  InviteCode: string | null;
  InviteLink: string | null;
  Subscribers: number;
  Verification: string;
  State: string;
  /** The account's role: owner, admin, subscriber or guest. */
  Role: string | null;
  Muted: boolean | null;
  CreatedAt: number | null;
  /** The channel's picture as WhatsApp holds it (its id and media path), or null. */
  Picture: { Id: string; DirectPath: string | null } | null;
}

export interface NewsletterPost {
  ServerId: number;
  Id: string;
  Timestamp: number;
  Type: string;
  Text: string | null;
  Message: Record<string, unknown> | null;
  Reactions: Array<{ Code: string; Count: number }>;
  Views: number | null;
}

function info(n: WireNewsletter): NewsletterInfo {
  const t = n.thread_metadata ?? {};
  const created = Number(t.creation_time);
  return {
    Jid: n.id,
    Name: t.name?.text ?? '',
    Description: t.description?.text ?? '',
    InviteCode: t.invite ?? null,
    InviteLink: t.invite ? `${CHANNEL_LINK_PREFIX}${t.invite}` : null,
    Subscribers: Number(t.subscribers_count ?? 0) || 0,
    Verification: (t.verification ?? 'unverified').toLowerCase(),
    State: (n.state?.type ?? 'active').toLowerCase(),
    Role: n.viewer_metadata?.role?.toLowerCase() ?? null,
    Muted: n.viewer_metadata?.mute ? n.viewer_metadata.mute.toUpperCase() === 'ON' : null,
    CreatedAt: Number.isFinite(created) && created > 0 ? created : null,
    Picture: t.picture?.id ? { Id: t.picture.id, DirectPath: t.picture.direct_path ?? null } : null,
  };
}

export function channelJid(raw: string, field = 'Jid'): string {
  const jid = raw.trim();
  if (!isJidNewsletter(jid) || !/^\d+@newsletter$/.test(jid)) throw badRequest(`${field}: must be a channel JID (digits@newsletter)`);
  return jid;
}

/** An invite code, from the code itself or a channel link. */
export function inviteCode(raw: string): string {
  const trimmed = raw.trim();
  const code = trimmed.startsWith('http') ? /^https:\/\/(?:www\.)?whatsapp\.com\/channel\/([A-Za-z0-9]+)\/?$/.exec(trimmed)?.[1] : trimmed;
  if (!code || !/^[A-Za-z0-9]{10,64}$/.test(code)) throw badRequest(`Key: must be a channel invite code or link (${CHANNEL_LINK_PREFIX}<code>)`);
  return code;
}

/** WhatsApp's GraphQL refusals (Baileys' own calls) as the caller hears them. */
async function graph<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = mexErrorCode(error);
    if (code === undefined) throw error;
    throw new ApiError(code === 404 ? 404 : 502, `WhatsApp refused the request: ${(error as Error).message} (${code})`);
  }
}

async function metadata(sock: WASocket, type: 'jid' | 'invite', key: string, field: string): Promise<NewsletterInfo> {
  const found = (await graph(() => sock.newsletterMetadata(type, key))) as WireNewsletter | null;
  if (!found?.id) throw notFound(`${field}: no such channel`);
  return info(found);
}

/** A channel picture as WhatsApp takes it: square, 640×640 JPEG (read and checked before anything is created). */
async function channelPicture(value: string): Promise<Buffer> {
  const source = await prepareImage('Picture', value);
  try {
    return (await generateProfilePicture(source.data)).img;
  } catch (error) {
    throw badRequest(`Picture: could not be read as a picture (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Creates a channel owned by the account. With `picture` (a WaGo extension) the picture goes in the
 * same creation query, as WhatsApp's apps send it: the channel never exists without it.
 */
export async function createNewsletter(sessionId: string, name: string, description?: string, picture?: string): Promise<NewsletterInfo> {
  const jpeg = picture === undefined ? undefined : await channelPicture(picture);
  const { sock } = connectedSession(sessionId);
  if (!jpeg) {
    const created = await graph(() => sock.newsletterCreate(name, description));
    return metadata(sock, 'jid', created.id, 'Jid');
  }
  const created = (await mexQuery(sock, QueryIds.CREATE, XWAPaths.xwa2_newsletter_create, {
    input: { name, description: description ?? null, picture: jpeg.toString('base64') },
  })) as WireNewsletter | null;
  if (!created?.id) throw new ApiError(502, 'WhatsApp answered the channel creation without a channel');
  return metadata(sock, 'jid', created.id, 'Jid');
}

export async function listNewsletters(sessionId: string): Promise<{ Newsletters: NewsletterInfo[] }> {
  const { sock } = connectedSession(sessionId);
  const list = await mexQuery(sock, SUBSCRIBED_QUERY.id, SUBSCRIBED_QUERY.path, {});
  if (!Array.isArray(list)) throw new ApiError(502, 'WhatsApp answered the subscribed channels query without a list');
  return { Newsletters: (list as WireNewsletter[]).filter((n) => n?.id).map(info) };
}

export async function newsletterInfo(sessionId: string, raw: string): Promise<NewsletterInfo> {
  const jid = channelJid(raw);
  const { sock } = connectedSession(sessionId);
  return metadata(sock, 'jid', jid, 'Jid');
}

export async function newsletterByInvite(sessionId: string, raw: string): Promise<NewsletterInfo> {
  const code = inviteCode(raw);
  const { sock } = connectedSession(sessionId);
  return metadata(sock, 'invite', code, 'Key');
}

export async function subscribeNewsletter(sessionId: string, raw: string): Promise<NewsletterInfo & { Details: string }> {
  const jid = channelJid(raw);
  const { sock } = connectedSession(sessionId);
  await metadata(sock, 'jid', jid, 'Jid');
  await graph(() => sock.newsletterFollow(jid));
  return { Details: 'Following the channel', ...(await metadata(sock, 'jid', jid, 'Jid')) };
}

function post(p: WirePost): NewsletterPost {
  const message = p.message ? (proto.Message.toObject(proto.Message.fromObject(p.message), { longs: Number, enums: String, bytes: String, defaults: false }) as Record<string, unknown>) : null;
  return {
    ServerId: p.serverId,
    Id: p.id,
    Timestamp: p.timestamp,
    Type: p.type,
    Text: p.message?.conversation ?? p.message?.extendedTextMessage?.text ?? p.message?.imageMessage?.caption ?? p.message?.videoMessage?.caption ?? null,
    Message: message,
    Reactions: p.reactions.map((r) => ({ Code: r.code, Count: r.count })),
    Views: p.views,
  };
}

export const DEFAULT_POST_COUNT = 20;

export async function newsletterMessages(sessionId: string, raw: string, count = DEFAULT_POST_COUNT, beforeId?: number): Promise<{ Jid: string; Messages: NewsletterPost[] }> {
  const jid = channelJid(raw);
  const { sock } = connectedSession(sessionId);
  try {
    return { Jid: jid, Messages: (await fetchPosts(sock, jid, count, beforeId)).map(post) };
  } catch (error) {
    if ((error as { data?: unknown }).data === 404) throw notFound('Jid: no such channel');
    throw error;
  }
}
