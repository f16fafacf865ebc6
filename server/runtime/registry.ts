import type { Server as HttpServer } from 'node:http';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { Server as SocketServer } from 'socket.io';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { Config } from '../config';
import type { TokenCache } from '../services/token-cache';
import type { CryptoBox } from '../lib/crypto-box';
import type { TurnBudget } from '../lib/turn-budget';
import type { EventBus } from '../events/bus';
import type { SessionManager } from '../whatsapp/session-manager';
import type { Sandbox } from '../sandbox';
import type { ContactStore } from '../contacts/store-writer';
import type { WagoMetrics } from '../metrics/metrics';
import type { RateLimiter } from '../lib/rate-limit/rate-limiter';

/**
 * The one place live objects are shared. The custom server and Next's bundled route code
 * load separate copies of every module, so a module-level singleton would exist twice;
 * `globalThis` is the same object for both. Everything live is registered here once at
 * boot by the custom server and read from here everywhere else.
 */
export interface Runtime {
  /** Random id of this registry: proves both module copies see one instance. */
  readonly instanceId: string;
  readonly startedAt: Date;
  readonly version: string;
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  tokenCache: TokenCache;
  /** AES-256-GCM for data at rest. */
  crypto: CryptoBox;
  /** The process's domain event bus. */
  events: EventBus;
  /** The session address books' writer (batched; see contacts/store-writer.ts). */
  contacts?: ContactStore;
  /** The WhatsApp sessions this process runs. */
  sessions: SessionManager;
  /** Bounds the relays and REST handling run per turn of the event loop (see turn-budget.ts). */
  turnBudget: TurnBudget;
  /** Event-loop delay of this process (resettable, for /server/stats). */
  eventLoop?: IntervalHistogram;
  /** Signs and encrypts dashboard sign-in cookies (next-auth's secret). */
  authSecret: string;
  /** SHA-256 (hex) of the admin token in force. */
  adminTokenHash: string;
  /** The in-process WhatsApp emulator in sandbox mode (WAGO_SANDBOX=1). */
  sandbox?: Sandbox;
  /** Prometheus metrics of this process (GET /metrics). */
  metrics?: WagoMetrics;
  /** Per-credential request limits: the REST API's and the dashboard's calls. */
  rateLimiter?: RateLimiter;
  httpServer?: HttpServer;
  io?: SocketServer;
}

const KEY = Symbol.for('wago.runtime');
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime): Runtime {
  const holder = globalThis as Holder;
  if (holder[KEY] && holder[KEY] !== runtime) {
    throw new Error('WaGo runtime is already registered in this process');
  }
  holder[KEY] = runtime;
  return runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) throw new Error('WaGo runtime is not started: the custom server registers it at boot');
  return runtime;
}

/** The runtime when started, without throwing (for counters that may run outside a server). */
export function findRuntime(): Runtime | undefined {
  return (globalThis as Holder)[KEY];
}

export function clearRuntime(): void {
  delete (globalThis as Holder)[KEY];
}
