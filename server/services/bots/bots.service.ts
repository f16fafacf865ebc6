import { randomBytes } from 'node:crypto';
import { jidNormalizedUser, type WASocket } from 'baileys';
import { notFound } from '../../http/errors';
import { connectedSession, type SendAnswer } from '../messaging/outgoing';
import { relayProto } from '../messaging/relay-proto';

/**
 * WhatsApp's AI bots: the bot profiles WhatsApp offers the account (the `bot` iq, Baileys'
 * getBotListV2), and a text to one bot persona — a message to the bot's JID naming the persona
 * in messageContextInfo.botMetadata. The bot's answer arrives like any message (a Message event).
 */

export interface BotProfile {
  Jid: string;
  PersonaID: string;
}

async function botList(sock: WASocket): Promise<BotProfile[]> {
  const list = await sock.getBotListV2();
  return list.filter((b) => b.jid && b.personaId).map((b) => ({ Jid: jidNormalizedUser(b.jid), PersonaID: b.personaId }));
}

export async function listBots(sessionId: string): Promise<{ Bots: BotProfile[] }> {
  const { sock } = connectedSession(sessionId);
  return { Bots: await botList(sock) };
}

export async function sendBotMessage(sessionId: string, body: string, personaId: string): Promise<SendAnswer & { PersonaID: string }> {
  const { sock } = connectedSession(sessionId);
  const bot = (await botList(sock)).find((b) => b.PersonaID === personaId);
  if (!bot) throw notFound(`PersonaID: WhatsApp lists no bot persona ${personaId} (GET /bot/list)`);
  const sent = await relayProto(
    sessionId,
    bot.Jid,
    async () => ({
      extendedTextMessage: { text: body },
      messageContextInfo: { botMetadata: { personaId }, messageSecret: randomBytes(32) },
    }),
    { field: 'PersonaID' },
  );
  return { ...sent, PersonaID: personaId };
}
