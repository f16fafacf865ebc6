import { generateMessageIDV2, generateWAMessage, isJidGroup, type AnyMessageContent, type BinaryNode, type MiscMessageGenerationOptions, type WAMessage, type WASocket } from 'baileys';
import type { Logger } from '../../logger';
import type { SendQueue } from './send-queue';
import { metrics } from '../../metrics';

/**
 * Baileys' `sendMessage`, in its two steps so the send queue can order the second per chat
 * without waiting for the first: build the message (media upload included), then relay it.
 * The stanza attributes mirror what `sendMessage` adds for deletes, edits, pins, polls and events.
 */
function relayExtras(content: AnyMessageContent): { additionalAttributes: Record<string, string>; additionalNodes: BinaryNode[] } {
  const additionalAttributes: Record<string, string> = {};
  const additionalNodes: BinaryNode[] = [];
  if ('delete' in content && content.delete) {
    additionalAttributes.edit = isJidGroup(content.delete.remoteJid ?? undefined) && !content.delete.fromMe ? '8' : '7';
  } else if ('edit' in content && content.edit) {
    additionalAttributes.edit = '1';
  } else if ('pin' in content && content.pin) {
    additionalAttributes.edit = '2';
  } else if ('poll' in content && content.poll) {
    additionalNodes.push({ tag: 'meta', attrs: { polltype: 'creation' } });
  } else if ('event' in content && content.event) {
    additionalNodes.push({ tag: 'meta', attrs: { event_type: 'creation' } });
  }
  return { additionalAttributes, additionalNodes };
}

export function sendThroughQueue(
  sock: WASocket,
  queue: SendQueue,
  jid: string,
  content: AnyMessageContent,
  options: MiscMessageGenerationOptions,
  logger: Logger,
): Promise<WAMessage> {
  return queue.run(
    jid,
    () =>
      generateWAMessage(jid, content, {
        logger: logger as unknown as NonNullable<Parameters<typeof generateWAMessage>[2]['logger']>,
        userJid: sock.authState.creds.me!.id,
        upload: sock.waUploadToServer,
        getProfilePicUrl: sock.profilePictureUrl,
        ...options,
        messageId: options.messageId ?? generateMessageIDV2(sock.user?.id),
      }),
    async (message) => {
      const { additionalAttributes, additionalNodes } = relayExtras(content);
      await sock.relayMessage(jid, message.message!, { messageId: message.key.id!, additionalAttributes, additionalNodes });
      metrics()?.messagesSent.inc();
      // Own messages become events like received ones (Baileys' emitOwnEvents).
      process.nextTick(() => {
        sock.messageMutex.mutex(() => sock.upsertMessage(message, 'append')).catch((error: unknown) => logger.error({ err: error }, 'could not emit a sent message'));
      });
      return message;
    },
  );
}
