import { isJidGroup, isJidNewsletter, isJidStatusBroadcast, type WAMessage, type WASocket } from 'baileys';
import type { Logger } from '../logger';
import type { CallBook } from './calls/call-book';
import type { SessionSettingsRow } from '../repositories/session-settings.repository';

/** How often an always-online session repeats its "available" presence while connected. */
export const ALWAYS_ONLINE_REPEAT_MS = 60_000;

/** Settings of a session before its row is read (all off). */
export const DEFAULT_SETTINGS: SessionSettingsRow = {
  rejectCalls: false,
  rejectCallMessage: null,
  ignoreGroups: false,
  ignoreStatus: false,
  alwaysOnline: false,
  readOnReceipt: false,
};

/** Sends a text to a user (the session's send path: queued, stored, with its events). */
export type SendText = (sessionId: string, jid: string, text: string) => Promise<unknown>;

/**
 * A session's per-session settings, enforced on its live connection: which chats are ignored,
 * read receipts on arrival, rejecting calls (and the text to the caller), the always-online
 * presence. The runner hands it the socket; the settings can change at any time.
 */
export class SessionBehaviour {
  private settings: SessionSettingsRow;
  private sock?: WASocket;
  private presenceTimer?: NodeJS.Timeout;

  constructor(
    private readonly sessionId: string,
    initial: SessionSettingsRow,
    private readonly log: Logger,
    private readonly sendText?: SendText,
  ) {
    this.settings = { ...initial };
  }

  current(): SessionSettingsRow {
    return { ...this.settings };
  }

  /** Whether events of this chat are dropped (neither stored nor emitted). */
  ignores(chatJid: string | null | undefined): boolean {
    if (!chatJid) return false;
    if (this.settings.ignoreGroups && isJidGroup(chatJid)) return true;
    if (this.settings.ignoreStatus && isJidStatusBroadcast(chatJid)) return true;
    return false;
  }

  /** A message arrived (not ignored): with read-on-receipt, a new incoming one is marked read at WhatsApp. */
  async onIncoming(msg: WAMessage, type: string): Promise<void> {
    if (!this.settings.readOnReceipt || type !== 'notify' || msg.key.fromMe || !msg.message) return;
    const chat = msg.key.remoteJid;
    if (!chat || isJidStatusBroadcast(chat) || isJidNewsletter(chat)) return;
    const sock = this.sock;
    if (!sock) return;
    try {
      await sock.readMessages([msg.key]);
    } catch (error) {
      this.log.warn({ err: error, messageId: msg.key.id }, 'could not send the read receipt of an incoming message');
    }
  }

  /** An incoming call started ringing: with reject-calls, it is rejected, then the caller gets the message (if any). */
  async onRinging(book: CallBook, callId: string): Promise<void> {
    if (!this.settings.rejectCalls) return;
    const call = book.get(callId);
    const sock = this.sock;
    if (!sock || !call || call.direction !== 'incoming' || call.state !== 'ringing') return;
    try {
      await sock.rejectCall(call.callId, call.creator);
      await book.transition(call, 'rejected', 'gateway', 'reject', { reason: 'rejected automatically (session setting RejectCalls)' });
    } catch (error) {
      this.log.warn({ err: error, callId }, 'could not reject an incoming call');
      return;
    }
    const text = this.settings.rejectCallMessage;
    const to = call.peerJid ?? call.peerLid;
    if (!text || !to || call.isGroup || !this.sendText) return;
    try {
      await this.sendText(this.sessionId, to, text);
    } catch (error) {
      this.log.warn({ err: error, callId }, 'could not send the message to a rejected caller');
    }
  }

  /** The connection opened: an always-online session announces itself available, and keeps doing so. */
  async onConnected(sock: WASocket): Promise<void> {
    this.sock = sock;
    this.keepOnline();
    if (this.settings.alwaysOnline) await this.sendPresence('available');
  }

  /** The connection closed (or was replaced). */
  onClosed(): void {
    this.sock = undefined;
    clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
  }

  /** New settings: applied at once (always-online switched on or off sends the presence now). */
  async apply(next: SessionSettingsRow): Promise<void> {
    const wasOnline = this.settings.alwaysOnline;
    this.settings = { ...next };
    if (!this.sock) return;
    this.keepOnline();
    if (next.alwaysOnline !== wasOnline) await this.sendPresence(next.alwaysOnline ? 'available' : 'unavailable');
  }

  private keepOnline(): void {
    clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
    if (!this.settings.alwaysOnline) return;
    this.presenceTimer = setInterval(() => void this.sendPresence('available'), ALWAYS_ONLINE_REPEAT_MS);
    this.presenceTimer.unref();
  }

  private async sendPresence(presence: 'available' | 'unavailable'): Promise<void> {
    try {
      await this.sock?.sendPresenceUpdate(presence);
    } catch (error) {
      this.log.warn({ err: error, presence }, 'could not send the session presence');
    }
  }
}
