import { DisconnectReason, type WASocket } from 'baileys';
import type { Logger } from '../logger';
import type { Config } from '../config';
import type { SessionRuntimePatch } from '../repositories/session.repository';
import type { CryptoBox } from '../lib/crypto-box';
import type { SessionState, WagoEvent } from '../events/types';
import { usePgAuthState } from './auth/pg-auth-state';
import { framesWritten } from './frame-writes';
import { createSocket } from './socket-factory';
import { storedOwnMessage } from './send/stored-own-message';
import { bindDataEvents } from './events/bind-events';
import { ReceiptGate } from './intake/receipt-gate';
import { messageIntake } from './intake/message-intake';
import { askAgainForRepeats } from './intake/repeat-retry';
import { bindCalls } from './calls/bind-calls';
import { CallBook } from './calls/call-book';
import { CallMedia } from '../calls/call-media';
import { mediaLegFor } from '../calls/media-leg';
import { RunnerState, type Identity, type PublishEvent } from './lifecycle/runner-state';
import { ConnectionHandler } from './lifecycle/connection-handler';
import type { QrSnapshot } from './lifecycle/qr-tracker';
import { SendQueue } from './send/send-queue';
import { KNOWN_RECIPIENT_TTL_MS, RecipientDirectory } from './send/recipient-check';
import { GroupMetadataCache } from './groups/metadata-cache';
import { bindGroupEvents } from './groups/group-events';
import type { TurnBudget } from '../lib/turn-budget';
import { DEFAULT_SETTINGS, SessionBehaviour, type SendText } from './session-behaviour';
import { sessionSettingsRepository, type SessionSettingsRow } from '../repositories/session-settings.repository';

export interface SessionInfo {
  id: string;
  name: string;
  os: string;
}

export interface RunnerDeps {
  config: Config;
  /** Shared by every session's send queue and the REST dispatcher (see lib/turn-budget.ts). */
  turnBudget?: TurnBudget;
  logger: Logger;
  crypto: CryptoBox;
  publish: PublishEvent;
  /** Settles when every consumer's write of a published event is done (EventBus.settled). */
  settled: (event: WagoEvent) => Promise<void>;
  /** Sends a text through the session's send path (the message to a caller whose call was rejected). */
  sendText?: SendText;
}

export interface SessionSnapshot {
  state: SessionState;
  connected: boolean;
  loggedIn: boolean;
  jid: string | null;
  lid: string | null;
  pushName: string | null;
  lastError: string | null;
  qr: QrSnapshot | null;
  pairingCode: string | null;
}

/**
 * One WhatsApp session: its Baileys socket and its lifecycle (an explicit state machine, see
 * lifecycle/runner-state.ts). Reports `connected` only after Baileys said the connection is open;
 * reacts to each close code deliberately (lifecycle/connection-handler.ts, close-policy.ts).
 */
export class SessionRunner {
  /** The lifecycle state, shared with the connection handler. */
  private readonly s: RunnerState;
  private readonly connection: ConnectionHandler;
  /** Outgoing messages of this session, ordered per chat. */
  readonly sendQueue: SendQueue;
  /** Which phone numbers this session found on WhatsApp (checked before a send). */
  readonly recipients: RecipientDirectory;
  /** Metadata of the session's groups, kept current from WhatsApp's notifications. */
  readonly groups: GroupMetadataCache;
  /** This session's calls (see calls/call-book.ts). */
  readonly calls: CallBook;
  /** The media hubs of its answered calls (see calls/call-media.ts). */
  readonly media: CallMedia;
  /** The session's settings, enforced on its connection (see session-behaviour.ts). */
  readonly behaviour: SessionBehaviour;
  private readonly log: Logger;

  constructor(
    readonly info: SessionInfo,
    private readonly deps: RunnerDeps,
    initial: Identity,
  ) {
    this.log = deps.logger.child({ component: 'session', sessionId: info.id });
    this.s = new RunnerState(info.id, this.log, deps.publish, initial);
    this.sendQueue = new SendQueue(deps.turnBudget);
    this.behaviour = new SessionBehaviour(info.id, DEFAULT_SETTINGS, this.log.child({ component: 'session-settings' }), deps.sendText);
    this.recipients = new RecipientDirectory({ knownMs: KNOWN_RECIPIENT_TTL_MS, unknownMs: deps.config.WAGO_RECIPIENT_UNKNOWN_TTL_MS });
    this.groups = new GroupMetadataCache(info.id, () => this.connectedSocket(), this.log);
    this.calls = new CallBook(info.id, (data) => deps.publish(info.id, 'Call', data), this.log.child({ component: 'calls' }));
    this.media = new CallMedia(this.calls, mediaLegFor(deps.config), this.log.child({ component: 'call-media' }), async (stanza) => {
      const sock = this.connectedSocket();
      if (!sock) throw new Error('session is not connected');
      return sock.query(stanza);
    });
    this.connection = new ConnectionHandler(this.s, {
      config: deps.config,
      crypto: deps.crypto,
      log: this.log,
      behaviour: this.behaviour,
      groups: this.groups,
      open: () => this.open(),
    });
  }

  get state(): SessionState {
    return this.s.state;
  }

  snapshot(): SessionSnapshot {
    const s = this.s;
    return {
      state: s.state,
      connected: s.state === 'connected',
      loggedIn: s.auth?.isRegistered() ?? s.identity.jid !== null,
      jid: s.identity.jid,
      lid: s.identity.lid,
      pushName: s.identity.pushName,
      lastError: s.lastError,
      qr: s.state === 'qr' ? s.qr.current() : null,
      pairingCode: s.state === 'pairing' ? s.pairingCode : null,
    };
  }

  /** The socket when the session is connected (sending needs it), else undefined. */
  connectedSocket(): WASocket | undefined {
    return this.s.state === 'connected' ? this.s.sock : undefined;
  }

  /** Applies changed settings to this session's connection at once. */
  async applySettings(settings: SessionSettingsRow): Promise<void> {
    await this.behaviour.apply(settings);
  }

  /** Starts (or keeps) the connection. With `pairPhone`, links by pairing code instead of QR. */
  async connect(opts: { pairPhone?: string } = {}): Promise<void> {
    const s = this.s;
    s.intent = 'run';
    if (opts.pairPhone) s.pairPhone = opts.pairPhone;
    if (s.sock && s.state !== 'failed' && s.state !== 'logged_out' && s.state !== 'disconnected') {
      if (opts.pairPhone && s.state === 'qr') await this.connection.requestPairingCode();
      return;
    }
    s.attempts = 0;
    await this.open({ autoConnect: true });
  }

  /** Waits until the connection attempt has an answer (connected, QR shown, failed…) or the timeout. */
  waitSettled(timeoutMs: number): Promise<SessionState> {
    return this.s.waitSettled(timeoutMs);
  }

  /** Closes the connection and keeps the link (credentials stay; connect again at will). */
  async disconnect(opts: { keepAutoConnect?: boolean } = {}): Promise<void> {
    const s = this.s;
    s.intent = 'stop';
    clearTimeout(s.reconnectTimer);
    const sock = s.sock;
    s.sock = undefined;
    this.behaviour.onClosed();
    sock?.end(undefined);
    await this.media.closeAll();
    await s.auth?.flush();
    if (!opts.keepAutoConnect) await s.persist({ autoConnect: false });
    await s.transition('disconnected', 'disconnected on request');
  }

  /** Unlinks the device at WhatsApp and deletes its credentials and keys. */
  async logout(): Promise<void> {
    const s = this.s;
    s.intent = 'logout';
    clearTimeout(s.reconnectTimer);
    await this.media.closeAll();
    const sock = s.sock;
    if (sock && s.state === 'connected') {
      try {
        await sock.logout('logout requested through WaGo');
        // The answer says the device is unlinked at WhatsApp: the request must have left first.
        await framesWritten(sock);
      } catch (error) {
        this.log.warn({ err: error }, 'WhatsApp did not confirm the logout; deleting the credentials anyway');
      }
    } else {
      sock?.end(undefined);
    }
    s.sock = undefined;
    this.behaviour.onClosed();
    await this.connection.loggedOut('logged out through WaGo', 'gateway');
  }

  /** Opens a connection: a new Baileys socket with the session's keys, settings and event wiring. */
  /** Opens a connection; `patch` is written with the `connecting` state, in the same statement. */
  private async open(patch: SessionRuntimePatch = {}): Promise<void> {
    const s = this.s;
    await s.transition('connecting', null, patch);
    s.auth ??= await usePgAuthState(this.info.id, this.deps.crypto, this.log);
    const auth = s.auth;
    this.behaviour.onClosed();
    const settings = await sessionSettingsRepository.find(this.info.id);
    if (settings) await this.behaviour.apply(settings);
    // Per connection: a receipt held for a closed one is never sent, and WhatsApp delivers again.
    const receipts = new ReceiptGate(this.log);
    const sock = createSocket({
      sessionId: this.info.id,
      auth: auth.state,
      os: this.info.os,
      config: this.deps.config,
      logger: this.log,
      getMessage: (key) => storedOwnMessage(this.info.id, key, this.log),
      budget: this.deps.turnBudget,
      cachedGroupMetadata: (jid) => this.groups.forSend(jid),
      deferReceipt: receipts.defer,
      repeatUndecryptable: askAgainForRepeats(this.info.id, () => s.sock, this.log),
    });
    s.sock = sock;
    s.qr.reset();
    sock.ev.on('creds.update', () => {
      auth.saveCreds().catch((error: unknown) => this.log.error({ err: error }, 'could not save WhatsApp credentials'));
    });
    sock.ev.on('connection.update', (update) => {
      this.connection.onConnectionUpdate(sock, update).catch((error: unknown) => this.log.error({ err: error }, 'connection update failed'));
    });
    bindDataEvents(sock, (type, data) => this.deps.publish(this.info.id, type, data), this.log, messageIntake(this.info.id, this.deps, receipts), this.behaviour);
    bindGroupEvents(sock, this.groups, (type, data) => this.deps.publish(this.info.id, type, data), this.log);
    bindCalls(sock, this.calls, this.media, this.log, (callId) => this.behaviour.onRinging(this.calls, callId));
    this.watchOpening(sock);
    await this.calls.closeLeftOpen().catch((error: unknown) => this.log.error({ err: error }, 'could not close calls left open by the previous run'));
  }

  /**
   * Bounds the opening of a connection (WebSocket, Noise handshake, login) until a QR code or
   * the open connection: Baileys runs without its own timeouts (see socket-factory.ts).
   */
  private watchOpening(sock: WASocket): void {
    const s = this.s;
    clearTimeout(s.connectWatchdog);
    const ms = this.deps.config.WAGO_CONNECT_TIMEOUT_MS;
    s.connectWatchdog = setTimeout(() => {
      if (sock !== s.sock) return;
      const reason = `WhatsApp did not answer the connection within ${ms} ms`;
      this.log.warn({ timeoutMs: ms }, reason);
      // Closed as a lost connection: reconnected with backoff, whether the session is linked or not.
      sock.end(Object.assign(new Error(reason), { output: { statusCode: DisconnectReason.connectionClosed } }));
    }, ms);
    s.connectWatchdog.unref();
  }
}
