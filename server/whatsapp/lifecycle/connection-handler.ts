import { jidNormalizedUser, type ConnectionState, type WASocket } from 'baileys';
import type { Logger } from '../../logger';
import type { Config } from '../../config';
import type { CryptoBox } from '../../lib/crypto-box';
import { usePgAuthState } from '../auth/pg-auth-state';
import { framesWritten } from '../frame-writes';
import type { GroupMetadataCache } from '../groups/metadata-cache';
import type { SessionBehaviour } from '../session-behaviour';
import { backoffDelay, decideOnClose } from './close-policy';
import type { RunnerState } from './runner-state';

export interface ConnectionHandlerDeps {
  config: Pick<Config, 'WAGO_RECONNECT_MAX_ATTEMPTS'>;
  crypto: CryptoBox;
  log: Logger;
  behaviour: SessionBehaviour;
  groups: GroupMetadataCache;
  /** Opens a new connection (a new Baileys socket) for the session. */
  open(): Promise<void>;
}

/**
 * What a session does with Baileys' connection updates: shows each QR or asks for a pairing
 * code, records a new link, reports the open connection, and reacts to each close code
 * deliberately (see close-policy.ts): reconnect at once or with backoff, clear the keys of a
 * logged-out device, or stop.
 */
export class ConnectionHandler {
  constructor(
    private readonly s: RunnerState,
    private readonly deps: ConnectionHandlerDeps,
  ) {}

  async onConnectionUpdate(sock: WASocket, update: Partial<ConnectionState>): Promise<void> {
    const s = this.s;
    if (sock !== s.sock) return; // a replaced socket's late events
    if (update.qr || update.connection === 'open' || update.connection === 'close') clearTimeout(s.connectWatchdog);
    if (update.qr) await this.onQr(update.qr);
    if (update.isNewLogin) {
      // A new link (pairing just succeeded): its date stays known after a later logout.
      await s.persist({ linkedAt: new Date() });
      // Baileys has just written the new identity into the credentials (creds.update comes first).
      const creds = s.auth?.state.creds;
      const me = creds?.me ?? sock.user;
      await s.publish('PairSuccess', {
        jid: me?.id ? jidNormalizedUser(me.id) : null,
        lid: me?.lid ? jidNormalizedUser(me.lid) : null,
        platform: creds?.platform ?? null,
      });
    }
    if (update.connection === 'open') await this.onOpen(sock);
    if (update.connection === 'close') await this.onClose(update.lastDisconnect?.error);
  }

  private async onQr(code: string): Promise<void> {
    const s = this.s;
    if (s.pairPhone) {
      await this.requestPairingCode();
      return;
    }
    const qr = s.qr.next(code);
    await s.transition('qr', null);
    await s.publish('QR', { code, expiresAt: qr.expiresAt });
  }

  /** Asks WhatsApp for a pairing code for the phone to link (once per connection attempt). */
  async requestPairingCode(): Promise<void> {
    const s = this.s;
    const sock = s.sock;
    const phone = s.pairPhone;
    if (!sock || !phone || s.pairingCode) return;
    await s.transition('pairing', null);
    try {
      const code = await sock.requestPairingCode(phone);
      // The code is only good once WhatsApp has the request: give it out when that has left.
      await framesWritten(sock);
      s.pairingCode = code;
      await s.publish('PairingCode', { code: s.pairingCode, phone });
      s.wake();
    } catch (error) {
      s.lastError = `pairing code request failed: ${(error as Error).message}`;
      this.deps.log.warn({ err: error }, 'pairing code request failed');
      await this.fail(s.lastError);
    }
  }

  private async onOpen(sock: WASocket): Promise<void> {
    const s = this.s;
    s.attempts = 0;
    s.pairPhone = undefined;
    s.pairingCode = null;
    s.lastError = null;
    const user = sock.user;
    s.identity = {
      jid: user?.id ? jidNormalizedUser(user.id) : null,
      lid: user?.lid ? jidNormalizedUser(user.lid) : null,
      pushName: user?.name ?? user?.notify ?? null,
    };
    const now = new Date();
    // One statement: the identity, the times (the link time only if unknown) and the state.
    await s.transition('connected', null, { ...s.identity, connectedAt: now, loggedInAt: now, lastError: null, autoConnect: true, linkedAtIfUnknown: now });
    await s.publish('Connected', { ...s.identity });
    await this.deps.behaviour.onConnected(sock);
  }

  private async onClose(error: Error | undefined): Promise<void> {
    const s = this.s;
    s.sock = undefined;
    this.deps.behaviour.onClosed();
    const statusCode = (error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;
    if (s.intent !== 'run') return; // disconnect/logout handle their own state
    const registered = s.auth?.isRegistered() ?? false;
    const action = decideOnClose(statusCode, registered, error?.message ?? '');
    this.deps.log.info({ statusCode, action: action.kind, reason: action.reason }, 'WhatsApp connection closed');
    switch (action.kind) {
      case 'reconnect-now':
        await s.publish('Disconnected', { reason: action.reason, statusCode: statusCode ?? null, willReconnect: true });
        await this.deps.open();
        return;
      case 'logged-out':
        await this.loggedOut(action.reason, 'phone');
        return;
      case 'qr-expired':
        s.lastError = action.reason;
        s.intent = 'stop';
        await s.persist({ lastError: action.reason, autoConnect: false });
        await s.publish('Disconnected', { reason: action.reason, statusCode: statusCode ?? null, willReconnect: false });
        await s.transition('disconnected', action.reason);
        return;
      case 'stop':
        await this.fail(action.reason, statusCode);
        return;
      case 'reconnect-backoff':
        await this.scheduleReconnect(action.reason, statusCode);
    }
  }

  private async scheduleReconnect(reason: string, statusCode: number | undefined): Promise<void> {
    const s = this.s;
    s.attempts += 1;
    if (s.attempts > this.deps.config.WAGO_RECONNECT_MAX_ATTEMPTS) {
      await this.fail(`gave up after ${s.attempts - 1} reconnect attempts: ${reason}`, statusCode);
      return;
    }
    const delay = backoffDelay(s.attempts);
    s.lastError = reason;
    await s.publish('Disconnected', { reason, statusCode: statusCode ?? null, willReconnect: true });
    await s.transition('connecting', reason);
    s.reconnectTimer = setTimeout(() => {
      if (s.intent !== 'run') return;
      this.deps.open().catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'reconnect failed');
        void this.scheduleReconnect((error as Error).message, undefined);
      });
    }, delay);
    s.reconnectTimer.unref();
  }

  /**
   * Stops for good until someone connects again: auto-connect is cleared, so neither the orphan
   * scan nor a restart retries it in a loop.
   */
  private async fail(reason: string, statusCode?: number): Promise<void> {
    const s = this.s;
    s.intent = 'stop';
    s.lastError = reason;
    s.sock?.end(undefined);
    s.sock = undefined;
    this.deps.behaviour.onClosed();
    this.deps.log.warn({ reason, statusCode }, 'session failed');
    await s.persist({ lastError: reason, autoConnect: false });
    await s.publish('Disconnected', { reason, statusCode: statusCode ?? null, willReconnect: false });
    await s.transition('failed', reason);
  }

  /** The device is unlinked (by the phone, or through WaGo): its credentials, keys and identity go. */
  async loggedOut(reason: string, by: 'gateway' | 'phone'): Promise<void> {
    const s = this.s;
    s.intent = 'stop';
    if (s.auth) await s.auth.clear();
    else await usePgAuthState(s.sessionId, this.deps.crypto, this.deps.log).then((a) => a.clear());
    s.auth = undefined;
    await this.deps.groups.clear();
    s.identity = { jid: null, lid: null, pushName: null };
    s.lastError = by === 'phone' ? reason : null;
    await s.persist({ jid: null, lid: null, pushName: null, loggedInAt: null, autoConnect: false, lastError: s.lastError });
    await s.transition('logged_out', reason);
    await s.publish('LoggedOut', { reason, by });
  }
}
