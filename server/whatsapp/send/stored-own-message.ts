import { jidNormalizedUser, proto, type WAMessageKey } from 'baileys';
import type { Logger } from '../../logger';
import { messageRepository } from '../../repositories/message.repository';

/**
 * Baileys' `getMessage`: a message this session sent, read back from the message store. A
 * contact's device that could not decrypt a message asks for it again (a retry receipt); Baileys
 * answers from its in-memory cache of recent sends, and from here when the message is older
 * than that cache or WaGo restarted since. Undefined when the store does not hold it.
 */
export async function storedOwnMessage(sessionId: string, key: WAMessageKey, log: Logger): Promise<proto.IMessage | undefined> {
  if (!key.id) return undefined;
  try {
    const row = await messageRepository.findOwnContent(sessionId, key.id);
    if (!row?.content || typeof row.content !== 'object') return undefined;
    const chat = key.remoteJid ? jidNormalizedUser(key.remoteJid) : undefined;
    if (chat && chat !== row.chatJid && chat !== row.chatLid) return undefined;
    return proto.Message.fromObject(row.content as Record<string, unknown>);
  } catch (error) {
    log.error({ err: error, id: key.id }, 'could not read a sent message back from the store');
    return undefined;
  }
}
