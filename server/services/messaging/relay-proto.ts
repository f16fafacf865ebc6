import { generateMessageIDV2, generateWAMessageFromContent, type BinaryNode, type WASocket, type proto } from 'baileys';
import { getRuntime } from '../../runtime/registry';
import { assertOnWhatsApp, connectedSession, type SendAnswer } from './outgoing';
import { lidResolverOf } from '../../whatsapp/lid-memo';

/** What a prepared raw message needs to be relayed. */
export interface RelayProtoOptions {
  /** Message id to use (generated when absent). */
  id?: string;
  /** Extra stanza children, e.g. the `<biz>` node WhatsApp expects beside interactive messages. */
  additionalNodes?: BinaryNode[];
  /** The recipient field as the route names it (default Phone), for the not-on-WhatsApp answer. */
  field?: string;
  /** status@broadcast only: the users who see the status. */
  statusJidList?: string[];
}

/**
 * Builds the message content with the live socket (e.g. uploads header media). Runs in the
 * queue's `prepare` step, so uploads of one chat may overlap while relays stay ordered.
 */
export type ProtoBuilder = (sock: WASocket) => Promise<proto.IMessage>;

async function lidOf(sock: WASocket, to: string): Promise<string | null> {
  if (to.endsWith('@lid')) return to;
  if (!to.endsWith('@s.whatsapp.net')) return null;
  return (await lidResolverOf(sock).getLIDForPN(to)) ?? null;
}

/**
 * Relays a complete `proto.Message` built by WaGo itself (interactive, list, template, carousel…:
 * content Baileys' `generateWAMessage` has no content type for) through the session's send queue,
 * so it is ordered with the session's other sends to that chat exactly like `sendContent`.
 * The sent message is emitted as an own event (stored, webhooks) like every other send.
 */
export async function relayProto(sessionId: string, to: string, build: ProtoBuilder, opts: RelayProtoOptions = {}): Promise<SendAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const checking = assertOnWhatsApp(runner, sock, to, opts.field);
  if (checking) await checking;
  const logger = getRuntime().logger;
  const sent = await runner.sendQueue.run(
    to,
    async () => {
      const content = await build(sock);
      return generateWAMessageFromContent(to, content, {
        userJid: sock.authState.creds.me!.id,
        messageId: opts.id ?? generateMessageIDV2(sock.user?.id),
      });
    },
    async (message) => {
      await sock.relayMessage(to, message.message!, { messageId: message.key.id!, additionalNodes: opts.additionalNodes ?? [], statusJidList: opts.statusJidList });
      process.nextTick(() => {
        sock.messageMutex.mutex(() => sock.upsertMessage(message, 'append')).catch((error: unknown) => logger.error({ err: error }, 'could not emit a sent message'));
      });
      return message;
    },
  );
  if (!sent.key.id) throw new Error('WhatsApp accepted no message');
  const stamp = sent.messageTimestamp;
  return {
    Id: sent.key.id,
    Timestamp: typeof stamp === 'number' ? stamp : stamp ? Number(stamp.toString()) : Math.floor(Date.now() / 1000),
    Jid: to,
    Lid: await lidOf(sock, to),
    Status: 'sent',
  };
}
