import { DisconnectReason, jidNormalizedUser, type ConnectionState, type WASocket } from 'baileys';
import type { Logger } from '../logger';
import type { Config } from '../config';
import type { CryptoBox } from '../lib/crypto-box';
import type { EventPayloads, EventType, SessionState, WagoEvent } from '../events/types';
import { sessionRuntimeRepository, type SessionRuntimePatch } from '../repositories/session.repository';
import { usePgAuthState, type PgAuthState } from './auth/pg-auth-state';
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
import { backoffDelay, decideOnClose } from './lifecycle/close-policy';
import { canTransition } from './lifecycle/states';
import { QrTracker, type QrSnapshot } from './lifecycle/qr-tracker';
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
  publish: <T extends EventType>(sessionId: string, type: T, data: EventPayloads[T], opts?: { id?: string }) => Promise<WagoEvent>;
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

/** States in which a connect request has its answer. */
const SETTLED: ReadonlySet<SessionState> = new Set(['connected', 'qr', 'pairing', 'logged_out', 'failed', 'disconnected']);

/**
 * One WhatsApp session: its Baileys socket and its lifecycle (an explicit state machine).
 * Reports `connected` only after Baileys said the connection is open; reacts to each close
 * code deliberately (see close-policy.ts).
 */
export class SessionRunner {
  state: SessionState = 'disconnected';
  private sock?: WASocket;
  private auth?: PgAuthState;
  private readonly qr = new QrTracker();
  private pairPhone?: string;
  private pairingCode: string | null = null;
  private lastError: string | null = null;
  private attempts = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private connectWatchdog?: NodeJS.Timeout;
  private intent: 'run' | 'stop' | 'logout' = 'stop';
  private identity = { jid: null as string | null, lid: null as string | null, pushName: null as string | null };
  private readonly waiters = new Set<() => void>();
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
    initial: { jid: string | null; lid: string | null; pushName: string | null },
  ) {
    this.identity = { ...initial };
    this.log = deps.logger.child({ component: 'session', sessionId: info.id });
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
  }

  snapshot(): SessionSnapshot {
    return {
      state: this.state,
      connected: this.state === 'connected',
      loggedIn: this.auth?.isRegistered() ?? this.identity.jid !== null,
      jid: this.identity.jid,
      lid: this.identity.lid,
      pushName: this.identity.pushName,
      lastError: this.lastError,
      qr: this.state === 'qr' ? this.qr.current() : null,
      pairingCode: this.state === 'pairing' ? this.pairingCode : null,
    };
  }

  /** The socket when the session is connected (sending needs it), else undefined. */
  connectedSocket(): WASocket | undefined {
    return this.state === 'connected' ? this.sock : undefined;
  }

  /** Applies changed settings to this session's connection at once. */
  async applySettings(settings: SessionSettingsRow): Promise<void> {
    await this.behaviour.apply(settings);
  }

  /** Starts (or keeps) the connection. With `pairPhone`, links by pairing code instead of QR. */
  async connect(opts: { pairPhone?: string } = {}): Promise<void> {
    this.intent = 'run';
    if (opts.pairPhone) this.pairPhone = opts.pairPhone;
    if (this.sock && this.state !== 'failed' && this.state !== 'logged_out' && this.state !== 'disconnected') {
      if (opts.pairPhone && this.state === 'qr') await this.requestPairingCode();
      return;
    }
    this.attempts = 0;
    await this.persist({ autoConnect: true });
    await this.open();
  }

  /** Waits until the connection attempt has an answer (connected, QR shown, failed…) or the timeout. */
  async waitSettled(timeoutMs: number): Promise<SessionState> {
    if (SETTLED.has(this.state) && !(this.state === 'pairing' && !this.pairingCode)) return this.state;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
    return this.state;
  }

  /** Closes the connection and keeps the link (credentials stay; connect again at will). */
  async disconnect(opts: { keepAutoConnect?: boolean } = {}): Promise<void> {
    this.intent = 'stop';
    clearTimeout(this.reconnectTimer);
    const sock = this.sock;
    this.sock = undefined;
    this.behaviour.onClosed();
    sock?.end(undefined);
    await this.media.closeAll();
    await this.auth?.flush();
    if (!opts.keepAutoConnect) await this.persist({ autoConnect: false });
    await this.transition('disconnected', 'disconnected on request');
  }

  /** Unlinks the device at WhatsApp and deletes its credentials and keys. */
  async logout(): Promise<void> {
    this.intent = 'logout';
    clearTimeout(this.reconnectTimer);
    await this.media.closeAll();
    const sock = this.sock;
    if (sock && this.state === 'connected') {
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
    this.sock = undefined;
    this.behaviour.onClosed();
    await this.loggedOut('logged out through WaGo', 'gateway');
  }

  private async open(): Promise<void> {
    await this.transition('connecting', null);
    this.auth ??= await usePgAuthState(this.info.id, this.deps.crypto, this.log);
    const auth = this.auth;
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
      repeatUndecryptable: askAgainForRepeats(this.info.id, () => this.sock, this.log),
    });
    this.sock = sock;
    this.qr.reset();
    sock.ev.on('creds.update', () => {
      auth.saveCreds().catch((error: unknown) => this.log.error({ err: error }, 'could not save WhatsApp credentials'));
    });
    sock.ev.on('connection.update', (update) => {
      this.onConnectionUpdate(sock, update).catch((error: unknown) => this.log.error({ err: error }, 'connection update failed'));
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
    clearTimeout(this.connectWatchdog);
    const ms = this.deps.config.WAGO_CONNECT_TIMEOUT_MS;
    this.connectWatchdog = setTimeout(() => {
      if (sock !== this.sock) return;
      const reason = `WhatsApp did not answer the connection within ${ms} ms`;
      this.log.warn({ timeoutMs: ms }, reason);
      // Closed as a lost connection: reconnected with backoff, whether the session is linked or not.
      sock.end(Object.assign(new Error(reason), { output: { statusCode: DisconnectReason.connectionClosed } }));
    }, ms);
    this.connectWatchdog.unref();
  }

  private async onConnectionUpdate(sock: WASocket, update: Partial<ConnectionState>): Promise<void> {
    if (sock !== this.sock) return; // a replaced socket's late events
    if (update.qr || update.connection === 'open' || update.connection === 'close') clearTimeout(this.connectWatchdog);
    if (update.qr) await this.onQr(update.qr);
    if (update.isNewLogin) {
      // A new link (pairing just succeeded): its date stays known after a later logout.
      await this.persist({ linkedAt: new Date() });
      // Baileys has just written the new identity into the credentials (creds.update comes first).
      const creds = this.auth?.state.creds;
      const me = creds?.me ?? sock.user;
      await this.deps.publish(this.info.id, 'PairSuccess', {
        jid: me?.id ? jidNormalizedUser(me.id) : null,
        lid: me?.lid ? jidNormalizedUser(me.lid) : null,
        platform: creds?.platform ?? null,
      });
    }
    if (update.connection === 'open') await this.onOpen(sock);
    if (update.connection === 'close') await this.onClose(update.lastDisconnect?.error);
  }

  private async onQr(code: string): Promise<void> {
    if (this.pairPhone) {
      await this.requestPairingCode();
      return;
    }
    const qr = this.qr.next(code);
    await this.transition('qr', null);
    await this.deps.publish(this.info.id, 'QR', { code, expiresAt: qr.expiresAt });
  }

  private async requestPairingCode(): Promise<void> {
    const sock = this.sock;
    const phone = this.pairPhone;
    if (!sock || !phone || this.pairingCode) return;
    await this.transition('pairing', null);
    try {
      const code = await sock.requestPairingCode(phone);
      // The code is only good once WhatsApp has the request: give it out when that has left.
      await framesWritten(sock);
      this.pairingCode = code;
      await this.deps.publish(this.info.id, 'PairingCode', { code: this.pairingCode, phone });
      this.wake();
    } catch (error) {
      this.lastError = `pairing code request failed: ${(error as Error).message}`;
      this.log.warn({ err: error }, 'pairing code request failed');
      await this.fail(this.lastError);
    }
  }

  private async onOpen(sock: WASocket): Promise<void> {
    this.attempts = 0;
    this.pairPhone = undefined;
    this.pairingCode = null;
    this.lastError = null;
    const user = sock.user;
    this.identity = {
      jid: user?.id ? jidNormalizedUser(user.id) : null,
      lid: user?.lid ? jidNormalizedUser(user.lid) : null,
      pushName: user?.name ?? user?.notify ?? null,
    };
    const now = new Date();
    await this.persist({ ...this.identity, connectedAt: now, loggedInAt: now, lastError: null, autoConnect: true });
    await sessionRuntimeRepository.linkedIfUnknown(this.info.id, now);
    await this.transition('connected', null);
    await this.deps.publish(this.info.id, 'Connected', { ...this.identity });
    await this.behaviour.onConnected(sock);
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.sock = undefined;
    this.behaviour.onClosed();
    const statusCode = (error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;
    if (this.intent !== 'run') return; // disconnect/logout handle their own state
    const registered = this.auth?.isRegistered() ?? false;
    const action = decideOnClose(statusCode, registered, error?.message ?? '');
    this.log.info({ statusCode, action: action.kind, reason: action.reason }, 'WhatsApp connection closed');
    switch (action.kind) {
      case 'reconnect-now':
        await this.deps.publish(this.info.id, 'Disconnected', { reason: action.reason, statusCode: statusCode ?? null, willReconnect: true });
        await this.open();
        return;
      case 'logged-out':
        await this.loggedOut(action.reason, 'phone');
        return;
      case 'qr-expired':
        this.lastError = action.reason;
        this.intent = 'stop';
        await this.persist({ lastError: action.reason, autoConnect: false });
        await this.deps.publish(this.info.id, 'Disconnected', { reason: action.reason, statusCode: statusCode ?? null, willReconnect: false });
        await this.transition('disconnected', action.reason);
        return;
      case 'stop':
        await this.fail(action.reason, statusCode);
        return;
      case 'reconnect-backoff':
        await this.scheduleReconnect(action.reason, statusCode);
    }
  }

  private async scheduleReconnect(reason: string, statusCode: number | undefined): Promise<void> {
    this.attempts += 1;
    if (this.attempts > this.deps.config.WAGO_RECONNECT_MAX_ATTEMPTS) {
      await this.fail(`gave up after ${this.attempts - 1} reconnect attempts: ${reason}`, statusCode);
      return;
    }
    const delay = backoffDelay(this.attempts);
    this.lastError = reason;
    await this.deps.publish(this.info.id, 'Disconnected', { reason, statusCode: statusCode ?? null, willReconnect: true });
    await this.transition('connecting', reason);
    this.reconnectTimer = setTimeout(() => {
      if (this.intent !== 'run') return;
      this.open().catch((error: unknown) => {
        this.log.error({ err: error }, 'reconnect failed');
        void this.scheduleReconnect((error as Error).message, undefined);
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * Stops for good until someone connects again: auto-connect is cleared, so neither the orphan
   * scan nor a restart retries it in a loop.
   */
  private async fail(reason: string, statusCode?: number): Promise<void> {
    this.intent = 'stop';
    this.lastError = reason;
    this.sock?.end(undefined);
    this.sock = undefined;
    this.behaviour.onClosed();
    this.log.warn({ reason, statusCode }, 'session failed');
    await this.persist({ lastError: reason, autoConnect: false });
    await this.deps.publish(this.info.id, 'Disconnected', { reason, statusCode: statusCode ?? null, willReconnect: false });
    await this.transition('failed', reason);
  }

  private async loggedOut(reason: string, by: 'gateway' | 'phone'): Promise<void> {
    this.intent = 'stop';
    if (this.auth) await this.auth.clear();
    else await usePgAuthState(this.info.id, this.deps.crypto, this.log).then((a) => a.clear());
    this.auth = undefined;
    await this.groups.clear();
    this.identity = { jid: null, lid: null, pushName: null };
    this.lastError = by === 'phone' ? reason : null;
    await this.persist({ jid: null, lid: null, pushName: null, loggedInAt: null, autoConnect: false, lastError: this.lastError });
    await this.transition('logged_out', reason);
    await this.deps.publish(this.info.id, 'LoggedOut', { reason, by });
  }

  private async transition(next: SessionState, reason: string | null): Promise<void> {
    const previous = this.state;
    if (!canTransition(previous, next)) {
      this.log.error({ from: previous, to: next }, 'refused an impossible session state change');
      return;
    }
    this.state = next;
    if (previous !== next) {
      await this.persist({ state: next });
      await this.deps.publish(this.info.id, 'StateChanged', { state: next, previous, reason });
    }
    this.wake();
  }

  private wake(): void {
    if (!SETTLED.has(this.state) || (this.state === 'pairing' && !this.pairingCode)) return;
    for (const waiter of [...this.waiters]) waiter();
  }

  private async persist(patch: SessionRuntimePatch): Promise<void> {
    await sessionRuntimeRepository.update(this.info.id, patch);
  }
}
