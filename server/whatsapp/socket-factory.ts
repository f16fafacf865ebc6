import { Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import makeWASocket, { type AuthenticationState, type BinaryNode, type GroupMetadata, type WAMessageKey, type WASocket, type proto } from 'baileys';
import type { Logger } from '../logger';
import type { Config } from '../config';
import { WAGO_VERSION } from '../version';
import { storagesMade, withStorageOwner } from './async-context/storages';
import { batchFrameWrites } from './frame-writes';
import { paceFrameReads } from './frame-reads';
import type { TurnBudget } from '../lib/turn-budget';
import { receiptHookLoaded } from './intake/receipt-hook-state';

export interface SocketOptions {
  /** The session the socket belongs to: owner of the storages Baileys makes for it (libsignal's log lines name it). */
  sessionId: string;
  auth: AuthenticationState;
  os: string;
  config: Config;
  logger: Logger;
  /** A message this session sent, for re-sending it on a contact's retry request. */
  getMessage?: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  /** The session's group metadata, so a send to a group does not query WhatsApp for it. */
  cachedGroupMetadata?: (jid: string) => Promise<GroupMetadata | undefined>;
  /** The process's turn budget: what WhatsApp sends is taken in within it. */
  budget?: Pick<TurnBudget, 'admit'>;
  /** Takes the delivery receipt of each incoming message, to send it once the message is stored (intake/receipt-gate.ts). */
  deferReceipt?: (key: WAMessageKey, send: () => Promise<void>) => Promise<void>;
  /** A message delivered again whose keys were used already: true when WaGo asked for it again (intake/repeat-retry.ts). */
  repeatUndecryptable?: (node: BinaryNode, key: WAMessageKey) => Promise<boolean>;
}

/** One Baileys socket with WaGo's settings; the WhatsApp URL is the emulator's when configured. */
let mediaAgent: { ca: string; agent: Agent } | undefined;

/** An HTTPS agent trusting WAGO_WA_MEDIA_CA (PEM text or file) for media uploads and downloads. */
function mediaFetchAgent(ca: string | undefined): Agent | undefined {
  if (!ca) return undefined;
  if (mediaAgent?.ca !== ca) {
    const pem = ca.includes('-----BEGIN') ? ca : readFileSync(ca, 'utf8');
    mediaAgent = { ca, agent: new Agent({ ca: pem, keepAlive: true }) };
  }
  return mediaAgent.agent;
}

let warned = false;
let warnedReceipts = false;

/** Baileys got Node's own AsyncLocalStorage: WaGo was started without its module hook. */
function warnNodeOwnStorage(logger: Logger): void {
  if (warned) return;
  warned = true;
  logger.warn(
    'Baileys uses Node\'s own AsyncLocalStorage: start WaGo with `npm start` (or node --import tsx --import ./server/whatsapp/async-context/register.mjs). ' +
      'Without it, key writes that finish after a send\'s transaction are lost, and on Node 20 and 22 every session slows every promise (docs/node-versions.md)',
  );
}

export function createSocket({ sessionId, auth, os, config, logger, getMessage, budget, cachedGroupMetadata, deferReceipt, repeatUndecryptable }: SocketOptions): WASocket {
  const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  const baileysLogger = logger.child({ component: 'baileys' }, { level: verbose ? config.LOG_LEVEL : config.LOG_LEVEL === 'silent' ? 'silent' : 'error' });
  const storagesBefore = storagesMade();
  const options = {
    auth,
    logger: baileysLogger as unknown as Parameters<typeof makeWASocket>[0]['logger'],
    browser: [os, 'Chrome', WAGO_VERSION],
    ...(config.WAGO_WA_WS_URL ? { waWebSocketUrl: config.WAGO_WA_WS_URL } : {}),
    markOnlineOnConnect: false,
    syncFullHistory: false,
    shouldSyncHistoryMessage: () => false,
    generateHighQualityLinkPreview: false,
    // No per-write timeout: Baileys arms one on every frame it sends when this is set (two
    // error stacks, a Boom and a timer per frame, about a tenth of the CPU of a send). The
    // session runner bounds the connection's opening itself (WAGO_CONNECT_TIMEOUT_MS), and
    // Baileys' keep-alive closes a connection that stops answering (~35 s), which fails any
    // write still waiting.
    connectTimeoutMs: 0,
    ...(config.WAGO_QR_TIMEOUT_MS ? { qrTimeout: config.WAGO_QR_TIMEOUT_MS } : {}),
    ...(config.WAGO_WA_MEDIA_CA ? { fetchAgent: mediaFetchAgent(config.WAGO_WA_MEDIA_CA) } : {}),
    getMessage: getMessage ?? (async () => undefined),
    ...(cachedGroupMetadata ? { cachedGroupMetadata } : {}),
    // Read by the receiver as patched by intake/receipt-hook.mjs (not a Baileys option).
    ...(deferReceipt ? { deferReceipt } : {}),
    ...(repeatUndecryptable ? { repeatUndecryptable } : {}),
  } as Parameters<typeof makeWASocket>[0];
  const sock = withStorageOwner(sessionId, () => makeWASocket(options));
  if (storagesMade() === storagesBefore) warnNodeOwnStorage(logger);
  if (deferReceipt && !receiptHookLoaded() && !warnedReceipts) {
    warnedReceipts = true;
    logger.warn('Baileys was loaded without WaGo\'s receipt hook (start WaGo with `npm start`): an incoming message is acknowledged to WhatsApp before it is stored, so a crash in between loses it');
  }
  batchFrameWrites(sock, logger);
  if (budget) paceFrameReads(sock, budget, logger);
  return sock;
}
