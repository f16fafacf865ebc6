import { isJidGroup, type AuthenticationCreds, type ChatModification, type LastMessageList, type WAPresence, type WASocket } from 'baileys';
import { conflict, whatsAppErrorCode } from '../http/errors';
import { messageRepository } from '../repositories/message.repository';
import { connectedSession, recipient, sendContent } from './messaging/outgoing';

/**
 * Chat-level actions. Pin, archive, mute, read/unread and delete are app-state changes
 * (`chatModify`: an encrypted patch synced to the phone and the other linked devices);
 * typing/recording are chat states; the disappearing timer is a protocol message to the chat.
 */

export interface ChatAnswer {
  Details: string;
  Chat: string;
}

/** The chat's newest stored message, which archive, read/unread and delete patches reference. */
async function lastMessages(sessionId: string, chat: string): Promise<LastMessageList> {
  const rows = await messageRepository.lastInChat(sessionId, chat);
  return rows.map((m) => ({
    key: { remoteJid: m.chatJid, id: m.messageId, fromMe: m.fromMe, participant: isJidGroup(m.chatJid) && !m.fromMe ? (m.senderJid ?? undefined) : undefined },
    messageTimestamp: Math.floor(m.timestamp.getTime() / 1000),
  }));
}

/** How long a chat change waits for the phone's app-state key share, which follows linking by a moment. */
export const APP_STATE_KEY_WAIT_MS = 10_000;

/** Resolves true once the session holds the phone's app-state key (at once if it does), false after `timeoutMs`. */
export function appStateKey(sock: WASocket, timeoutMs: number): Promise<boolean> {
  if (sock.authState.creds.myAppStateKeyId) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onUpdate = (update: Partial<AuthenticationCreds>) => {
      if (update.myAppStateKeyId || sock.authState.creds.myAppStateKeyId) done(true);
    };
    const done = (held: boolean) => {
      clearTimeout(timer);
      sock.ev.off('creds.update', onUpdate);
      resolve(held);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.ev.on('creds.update', onUpdate);
  });
}

/** An app-state change (`chatModify`), once the phone shared its key, retried once on a conflict. */
export async function modify(sessionId: string, chat: string, build: (last: () => Promise<LastMessageList>) => Promise<ChatModification> | ChatModification, details: string): Promise<ChatAnswer> {
  const { sock } = connectedSession(sessionId);
  if (!(await appStateKey(sock, APP_STATE_KEY_WAIT_MS))) {
    throw conflict('the phone has not shared its app-state key with this session yet; try again in a moment');
  }
  const mod = await build(() => lastMessages(sessionId, chat));
  // A conflict means another device (or the resync that follows the key share) moved the
  // collection on: Baileys resyncs it before the next patch, so one more try usually lands.
  for (let attempt = 1; ; attempt++) {
    try {
      await sock.chatModify(mod, chat);
      return { Details: details, Chat: chat };
    } catch (error) {
      if (whatsAppErrorCode(error) !== 409) throw error;
      if (attempt === 2) throw conflict('WhatsApp refused the chat change (app-state conflict); try again');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export const pinChat = (sessionId: string, raw: string, pin: boolean) => {
  const chat = recipient(raw, 'Chat');
  return modify(sessionId, chat, () => ({ pin }), pin ? 'Chat pinned' : 'Chat unpinned');
};

export const archiveChat = (sessionId: string, raw: string, archive = true) => {
  const chat = recipient(raw, 'Chat');
  return modify(sessionId, chat, async (last) => ({ archive, lastMessages: await last() }), archive ? 'Chat archived' : 'Chat unarchived');
};

/** Mutes a chat until `durationSeconds` from now (forever when absent); 0 unmutes. */
export const muteChat = (sessionId: string, raw: string, durationSeconds?: number) => {
  const chat = recipient(raw, 'Chat');
  const mute = durationSeconds === 0 ? null : durationSeconds === undefined ? -1 : Date.now() + durationSeconds * 1000;
  return modify(sessionId, chat, () => ({ mute }), mute === null ? 'Chat unmuted' : 'Chat muted');
};

export const markChatRead = (sessionId: string, raw: string, read: boolean) => {
  const chat = recipient(raw);
  return modify(sessionId, chat, async (last) => ({ markRead: read, lastMessages: await last() }), read ? 'Chat marked as read' : 'Chat marked as unread');
};

export const deleteChat = (sessionId: string, raw: string) => {
  const chat = recipient(raw);
  return modify(sessionId, chat, async (last) => ({ delete: true, lastMessages: await last() }), 'Chat deleted');
};

export interface ChatStateAnswer {
  Details: string;
  Jid: string;
  State: WAPresence;
}

/** Typing (composing), recording or paused, shown to the chat. */
export async function setChatState(sessionId: string, raw: string, state: 'composing' | 'recording' | 'paused'): Promise<ChatStateAnswer> {
  const jid = recipient(raw, 'Jid');
  const { sock } = connectedSession(sessionId);
  await sock.sendPresenceUpdate(state, jid);
  return { Details: `Chat state ${state} sent`, Jid: jid, State: state };
}

export const DISAPPEARING_TIMERS = { off: 0, '24h': 86_400, '7d': 604_800, '90d': 7_776_000 } as const;
export type DisappearingTimer = keyof typeof DISAPPEARING_TIMERS;

export interface DisappearingAnswer {
  Details: string;
  Chat: string;
  Timer: DisappearingTimer;
  Seconds: number;
}

/** Sets the disappearing-messages timer of a chat (a group setting for groups). */
export async function setDisappearingTimer(sessionId: string, raw: string, timer: DisappearingTimer): Promise<DisappearingAnswer> {
  const chat = recipient(raw, 'phone');
  const seconds = DISAPPEARING_TIMERS[timer];
  const { sock } = connectedSession(sessionId);
  if (isJidGroup(chat)) await sock.groupToggleEphemeral(chat, seconds);
  else await sendContent(sessionId, chat, { disappearingMessagesInChat: seconds }, { field: 'phone' });
  return { Details: seconds ? `Disappearing messages set to ${timer}` : 'Disappearing messages turned off', Chat: chat, Timer: timer, Seconds: seconds };
}
