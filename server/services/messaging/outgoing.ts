import type { AnyMessageContent, MiscMessageGenerationOptions, WAMessage, WASocket, proto } from 'baileys';
import { getRuntime } from '../../runtime/registry';
import { badRequest, notFound, NotConnectedError, unavailable } from '../../http/errors';
import { parseRecipient } from '../../whatsapp/send/recipient';
import { messageRepository } from '../../repositories/message.repository';
import { sendThroughQueue } from '../../whatsapp/send/pipeline';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import type { SessionRunner } from '../../whatsapp/session-runner';
import { sendOnce } from './send-once';
import { serverAck, watchServerAcks } from '../../whatsapp/send/server-acks';

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

/** Retry-After for a session that is connecting: a login takes a second or two. */
const CONNECTING_RETRY_S = 2;

/**
 * The session's runner and live socket. A session still connecting (or reconnecting) answers 503
 * with Retry-After; one not connected here a NotConnectedError (409, or 503 when it only waits for
 * a lease or its restore: see session-availability.service.ts).
 */
export function connectedSession(sessionId: string): { runner: SessionRunner; sock: WASocket } {
  const runner = getRuntime().sessions.get(sessionId);
  const sock = runner?.connectedSocket();
  if (runner && !sock && runner.state === 'connecting') throw unavailable('session is connecting to WhatsApp: retry shortly', CONNECTING_RETRY_S);
  if (!runner || !sock) throw new NotConnectedError();
  return { runner, sock };
}

/** Parses a recipient field (a phone number or a JID) or throws 400 naming the field. */
export function recipient(raw: string, field = 'Phone'): string {
  const parsed = parseRecipient(raw);
  if ('error' in parsed) throw badRequest(`${field}: ${parsed.error}`);
  return parsed.jid;
}

/** Asks WhatsApp (usync `contact`) whether a phone-number JID is registered. */
async function askWhatsApp(sock: WASocket, jid: string): Promise<boolean> {
  const found = await sock.onWhatsApp(jid);
  return Boolean(found?.some((entry) => entry.exists));
}

/**
 * Refuses a send to a phone number WhatsApp does not know: 404 "<field>: not on WhatsApp", before
 * anything is built or sent. Only phone-number JIDs are checked (a LID is WhatsApp's own id; groups,
 * broadcasts and newsletters are not users). The session remembers the answers (see
 * `RecipientDirectory`): a number known to be on WhatsApp costs a Map lookup.
 */
export function assertOnWhatsApp(runner: SessionRunner, sock: WASocket, to: string, field = 'Phone'): Promise<void> | undefined {
  if (!to.endsWith('@s.whatsapp.net')) return undefined;
  const known = runner.recipients.isOnWhatsApp(to, (jid) => askWhatsApp(sock, jid));
  if (known === true) return undefined;
  const refuse = () => notFound(`${field}: not on WhatsApp`);
  if (known === false) return Promise.reject(refuse());
  return known.then((onWhatsApp) => {
    if (!onWhatsApp) throw refuse();
  });
}

/**
 * The recipient of a send whose content takes work to make (media read, converted, uploaded):
 * parsed, the session connected and the number on WhatsApp, before that work starts. The send
 * itself checks again, by then from memory.
 */
export async function checkedRecipient(sessionId: string, raw: string, field = 'Phone'): Promise<string> {
  const to = recipient(raw, field);
  const { runner, sock } = connectedSession(sessionId);
  const checking = assertOnWhatsApp(runner, sock, to, field);
  if (checking) await checking;
  return to;
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

/**
 * Sends content through the session's queue (ordered per chat) and answers the documented shape.
 * A phone number not on WhatsApp is refused first (404 naming `opts.field`, default Phone). A
 * send with an `Id` this session already sent is answered from that send, not sent again
 * (send-once.ts).
 */
export function sendContent(
  sessionId: string,
  to: string,
  content: AnyMessageContent,
  opts: { id?: string; contextInfo?: ContextInfoInput; field?: string } = {},
): Promise<SendAnswer> {
  return sendOnce(sessionId, to, opts.id, () => sendNow(sessionId, to, content, opts));
}

async function sendNow(
  sessionId: string,
  to: string,
  content: AnyMessageContent,
  opts: { id?: string; contextInfo?: ContextInfoInput; field?: string },
): Promise<SendAnswer> {
  const { runner, sock } = connectedSession(sessionId);
  const checking = assertOnWhatsApp(runner, sock, to, opts.field);
  if (checking) await checking;
  const options: MiscMessageGenerationOptions = {};
  if (opts.id) options.messageId = opts.id;
  if (opts.contextInfo) {
    options.quoted = await quotedMessage(sessionId, to, opts.contextInfo);
    if (opts.contextInfo.MentionedJID?.length) {
      (content as { mentions?: string[] }).mentions = opts.contextInfo.MentionedJID.map((m, i) => recipient(m, `ContextInfo.MentionedJID[${i}]`));
    }
  }
  watchServerAcks(sock);
  const sent = await sendThroughQueue(sock, runner.sendQueue, to, content, options, getRuntime().logger);
  if (!sent?.key.id) throw new Error('WhatsApp accepted no message');
  // Answered once WhatsApp has the message: a success is never lost with the process.
  await serverAck(sock, sent.key.id);
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
