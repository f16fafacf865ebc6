import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { CryptoBox } from '../lib/crypto-box';
import { TurnBudget } from '../lib/turn-budget';
import { EventBus } from '../events/bus';
import { SessionManager } from '../whatsapp/session-manager';
import { TokenCache } from '../services/token-cache';
import { WAGO_VERSION } from '../version';
import { setRuntime, type Runtime } from './registry';
import { deriveAuthSecret } from '../auth/auth-secret';
import { sendContent } from '../services/messaging/outgoing';

export interface RuntimeInput {
  instanceId: string;
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  encryptionKey: Buffer;
  /** How other WaGo processes reach this one (known once the server listens). */
  ownerUrl: () => string | null;
}

/** Builds the process's live objects and registers them in the runtime registry. */
export function createRuntime({ instanceId, config, logger, prisma, encryptionKey, ownerUrl }: RuntimeInput): Runtime {
  const crypto = new CryptoBox(encryptionKey);
  const events = new EventBus(logger.child({ component: 'events' }));
  const turnBudget = new TurnBudget(8, config.WAGO_SEND_SLICE_MS);
  const sessions = new SessionManager({
    config,
    turnBudget,
    logger,
    crypto,
    publish: (id, type, data, opts) => events.publish(id, type, data, opts),
    settled: (event) => events.settled(event),
    sendText: (id, jid, text) => sendContent(id, jid, { text }),
    ownerId: instanceId,
    ownerUrl,
    leaseTtlMs: config.WAGO_LEASE_TTL_MS,
    restoreConcurrency: config.WAGO_RESTORE_CONCURRENCY,
  });
  return setRuntime({
    instanceId,
    startedAt: new Date(),
    version: WAGO_VERSION,
    config,
    logger,
    prisma,
    tokenCache: new TokenCache(),
    crypto,
    events,
    sessions,
    turnBudget,
    authSecret: deriveAuthSecret(encryptionKey, config.WAGO_AUTH_SECRET),
    adminTokenHash: '',
  });
}
