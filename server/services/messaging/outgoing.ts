import type { AnyMessageContent, MiscMessageGenerationOptions, WAMessage, WASocket, proto } from 'baileys';
import { getRuntime } from '../../runtime/registry';
import { badRequest, conflict } from '../../http/errors';
import { parseRecipient } from '../../whatsapp/send/recipient';
import { messageRepository } from '../../repositories/message.repository';
import { sendThroughQueue } from '../../whatsapp/send/pipeline';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import type { SessionRunner } from '../../whatsapp/session-runner';

/** Reply and mention details a send may carry (`ContextInfo`). */
export interface ContextInfoInput {
  StanzaId?: string;
  Participant?: string;
  MentionedJID?: string[];
  IsForwarded?: boolean;
}

/** What every send answers. */
export interface SendAnswer {
  Id: string;
  Timestamp: number;
  Jid: string;
  Lid: string | null;
  Status: string;
}

/** The session's runner and live socket; 409 when the session is not connected here. */
export function connectedSession(sessionId: string): { runner: SessionRunner; sock: WASocket } {
  const runner = getRuntime().sessions.get(sessionId);
  const sock = runner?.connectedSocket();
  if (!runner || !sock) throw conflict('session is not connected: POST /session/connect first');
  return { runner, sock };
}

/** Parses a recipient field (a phone number or a JID) or throws 400 naming the field. */
export function recipient(raw: string, field = 'Phone'): string {
  const parsed = parseRecipient(raw);
  if ('error' in parsed) throw badRequest(`${field}: ${parsed.error}`);
  return parsed.jid;
}

/** Builds the quoted message for a reply: from the message store when known, else from the ids. */
async function quotedMessage(sessionId: string, chat: string, info: ContextInfoInput): Promise<WAMessage | undefined> {
  if (!info.StanzaId) return undefined;
  const stored = await messageRepository.findWithHistory(sessionId, info.StanzaId);
  const participant = info.Participant ? recipient(info.Participant, 'ContextInfo.Participant') : undefined;
  return {
    key: { id: info.StanzaId, remoteJid: stored?.chatJid ?? chat, fromMe: stored?.fromMe ?? false, participant: participant ?? stored?.senderJid ?? undefined },
    message: (stored?.content as proto.IMessage | null) ?? { conversation: stored?.text ?? '' },
  };
}

/** Sends content through the session's queue (ordered per chat) and answers the documented shape. */
export async function sendContent(
  sessionId: string,
  to: string,
  content: AnyMessageContent,
  opts: { id?: string; contextInfo?: ContextInfoInput } = {},
): Promise<SendAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const options: MiscMessageGenerationOptions = {};
  if (opts.id) options.messageId = opts.id;
  if (opts.contextInfo) {
    options.quoted = await quotedMessage(sessionId, to, opts.contextInfo);
    if (opts.contextInfo.MentionedJID?.length) {
      (content as { mentions?: string[] }).mentions = opts.contextInfo.MentionedJID.map((m, i) => recipient(m, `ContextInfo.MentionedJID[${i}]`));
    }
  }
  const sent = await sendThroughQueue(sock, runner.sendQueue, to, content, options, getRuntime().logger);
  if (!sent?.key.id) throw new Error('WhatsApp accepted no message');
  const lid = to.endsWith('@s.whatsapp.net') ? await lidResolverOf(sock).getLIDForPN(to) : to.endsWith('@lid') ? to : null;
  const stamp = sent.messageTimestamp;
  return {
    Id: sent.key.id,
    Timestamp: typeof stamp === 'number' ? stamp : stamp ? Number(stamp.toString()) : Math.floor(Date.now() / 1000),
    Jid: to,
    Lid: lid ?? null,
    Status: 'sent',
  };
}
