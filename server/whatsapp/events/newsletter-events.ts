import { proto, type BaileysEventMap, type WAMessage } from 'baileys';
import type { Publish } from './bind-events';

/**
 * Channel (newsletter) events: a new post of a followed or owned channel and a reaction to a post
 * become `Newsletter` events (`kind: message | reaction`), named by the channel JID and the post's
 * server id.
 */
export function newsletterPost(msg: WAMessage): Record<string, unknown> {
  const key = msg.key as WAMessage['key'] & { server_id?: string };
  const message = msg.message ? (proto.Message.toObject(proto.Message.fromObject(msg.message), { longs: Number, enums: String, bytes: String, defaults: false }) as Record<string, unknown>) : null;
  return {
    kind: 'message',
    newsletter: key.remoteJid ?? null,
    serverId: key.server_id ? Number(key.server_id) : null,
    id: key.id ?? null,
    timestamp: Number(msg.messageTimestamp ?? 0) || null,
    text: msg.message?.conversation ?? msg.message?.extendedTextMessage?.text ?? msg.message?.imageMessage?.caption ?? msg.message?.videoMessage?.caption ?? null,
    message,
  };
}

export function newsletterEventHandlers(publish: Publish) {
  return {
    'newsletter.reaction': async ({ id, server_id, reaction }: BaileysEventMap['newsletter.reaction']) => {
      await publish('Newsletter', { kind: 'reaction', newsletter: id, serverId: Number(server_id) || null, code: reaction.code ?? null, count: reaction.count ?? null, removed: Boolean(reaction.removed) || !reaction.code });
    },
  };
}
