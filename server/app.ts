import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolve, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { migrate } from './db/migrator';
import { createDatabaseClient } from './db/prisma';
import { WagoMetrics } from './metrics';
import { metricSources } from './services/metrics.service';
import { clearRuntime, type Runtime } from './runtime/registry';
import { createRuntime } from './runtime/create-runtime';
import { resolveAdminToken } from './services/auth.service';
import { createDispatcher } from './http/dispatcher';
import { routes } from './routes';
import { buildOpenApi } from './http/openapi';
import { createSocketServer } from './realtime/socket';
import { isNextPath, startNext, type NextHandle } from './next/next-handler';
import { WAGO_VERSION } from './version';
import { loadEncryptionKey } from './lib/encryption-key';
import { checkEncryptionKey } from './services/encryption-check.service';
import { startWebhooks } from './webhooks';
import { startMessageStore } from './messages/store-writer';
import { startContactStore } from './contacts/store-writer';
import { startLabelStore } from './services/labels/label-store';
import { startMessageChanges } from './messages/message-changes';
import { startMessageRetention } from './messages/retention';
import { startEventLog } from './events/event-log';
import { installStrictTrust } from './whatsapp/trust';
import { releaseInstanceId, resolveInstanceId } from './runtime/instance-id';
import { lockInstanceId } from './db/instance-lock';
import { bridgeEventsToSockets } from './realtime/event-bridge';
import { useRedisAdapter } from './realtime/redis-adapter';
import { startSandbox, type Sandbox } from './sandbox';
import { bootstrapAdmin } from './services/account.service';
import { setForwardedHeaders } from './next/forwarded-headers';
import { captureLibsignalConsole } from './whatsapp/libsignal-console';
import { startHeartbeat } from './services/servers.service';
import { createRateLimiter } from './lib/rate-limit';
import { startAuditRetention } from './services/audit.service';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface WagoOptions {
  config?: Config;
  logger?: Logger;
  /** Directory of the Next.js app (defaults to the project root). */
  nextDir?: string;
  nextDev?: boolean;
}

export interface Wago {
  url: string;
  port: number;
  runtime: Runtime;
  /** Set on the first start without WAGO_ADMIN_TOKEN: the generated admin token, shown once. */
  generatedAdminToken?: string;
  adminTokenSource: 'env' | 'stored' | 'generated';
  databaseSource: 'env' | 'embedded';
  /** Set in sandbox mode (WAGO_SANDBOX=1). */
  sandbox?: Sandbox;
  /** Set when this start created the first dashboard admin account. */
  createdAdmin?: { email: string; generatedPassword?: string };
  stop(): Promise<void>;
}

/** Boots WaGo: database, migrations, runtime registry, REST dispatcher, Next.js and socket.io on one port. */
export async function startWago(options: WagoOptions = {}): Promise<Wago> {
  let config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      await fn().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    const restoreConsole = captureLibsignalConsole(logger);
    cleanups.push(async () => restoreConsole());
    let sandbox: Sandbox | undefined;
    if (config.WAGO_SANDBOX) {
      const started = await startSandbox(config, logger);
      sandbox = started.sandbox;
      config = started.config;
      cleanups.push(() => started.sandbox.stop());
    }
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.WAGO_DATA_DIR, logger);
      cleanups.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    await migrate(databaseUrl, join(PROJECT_ROOT, 'prisma', 'migrations'), logger);
    const { prisma, pool } = createDatabaseClient(databaseUrl, config.WAGO_DB_POOL_SIZE);
    cleanups.push(() => prisma.$disconnect());
    await prisma.$queryRaw`SELECT 1`;

    const encryption = await loadEncryptionKey(config.WAGO_ENCRYPTION_KEY, config.WAGO_DATA_DIR);
    const trust = installStrictTrust(config.WAGO_WA_ROOT_KEY);
    logger.info({ rootKey: trust.rootKey.toString('hex'), custom: trust.custom }, 'WhatsApp server certificates are verified against this root key');
    let instance = await resolveInstanceId(config.WAGO_INSTANCE_ID, config.WAGO_DATA_DIR);
    let instanceLock = await lockInstanceId(databaseUrl, instance.id, logger);
    if (!instanceLock) {
      if (instance.source === 'env') throw new Error(`WAGO_INSTANCE_ID ${instance.id} is used by another live WaGo process on this database`);
      // Another live process took the same id (e.g. both started from one data folder at once).
      releaseInstanceId(instance.id);
      instance = { id: randomUUID(), source: 'new' };
      instanceLock = await lockInstanceId(databaseUrl, instance.id, logger);
    }
    const instanceId = instance.id;
    const heldLock = instanceLock;
    cleanups.push(async () => {
      releaseInstanceId(instanceId);
      await heldLock?.release();
    });
    logger.info({ instanceId, source: instance.source }, 'instance id (its own session leases are taken back at once after a restart)');
    let internalUrl: string | null = config.WAGO_INTERNAL_URL ?? null;
    const runtime = createRuntime({ instanceId, config, logger, prisma, encryptionKey: encryption.key, ownerUrl: () => internalUrl });
    const { events, sessions } = runtime;
    cleanups.push(async () => clearRuntime());
    await checkEncryptionKey();
    const eventLoop = monitorEventLoopDelay({ resolution: 10 });
    eventLoop.enable();
    runtime.eventLoop = eventLoop;
    cleanups.push(async () => {
      eventLoop.disable();
    });
    const metrics = new WagoMetrics(metricSources(pool));
    runtime.metrics = metrics;
    cleanups.push(async () => metrics.stop());
    const admin = await resolveAdminToken(config.WAGO_ADMIN_TOKEN);
    runtime.adminTokenHash = admin.hash;
    runtime.sandbox = sandbox;
    const createdAdmin = await bootstrapAdmin(config.WAGO_ADMIN_EMAIL, config.WAGO_ADMIN_PASSWORD);
    // next-auth reads its site URL from the environment; without one it trusts the Host the
    // custom server vouches for (see setForwardedHeaders).
    if (config.WAGO_PUBLIC_URL) process.env.NEXTAUTH_URL = config.WAGO_PUBLIC_URL;
    else process.env.AUTH_TRUST_HOST = 'true';

    const messageStore = startMessageStore(events, logger);
    cleanups.push(() => messageStore.stop());
    const contactStore = startContactStore(events, logger);
    runtime.contacts = contactStore;
    cleanups.push(() => contactStore.stop());
    const labelStore = startLabelStore(events, logger);
    cleanups.push(() => labelStore.stop());
    const messageChanges = startMessageChanges(events, logger);
    cleanups.push(() => messageChanges.stop());
    const eventLog = startEventLog(events, logger, { days: config.WAGO_EVENT_LOG_DAYS, maxPerSession: config.WAGO_EVENT_LOG_MAX_PER_SESSION });
    cleanups.push(() => eventLog.stop());
    const retention = startMessageRetention(config.WAGO_MESSAGE_RETENTION_DAYS, logger);
    cleanups.push(async () => retention.stop());
    const webhooks = await startWebhooks(runtime);
    cleanups.push(() => webhooks.stop());

    const auditRetention = startAuditRetention(config.WAGO_AUDIT_RETENTION_DAYS, logger);
    cleanups.push(async () => auditRetention.stop());
    const limiter = await createRateLimiter(config, embedded !== undefined, logger);
    runtime.rateLimiter = limiter;
    cleanups.push(() => limiter.close());
    const dispatcher = createDispatcher({
      routes,
      logger,
      maxBodyBytes: config.WAGO_MAX_BODY_BYTES,
      budget: runtime.turnBudget,
      limiter,
      trustProxy: config.WAGO_TRUST_PROXY,
    });
    let openApiJson: string | undefined;
    let nextHandle: NextHandle | undefined;

    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const pathname = q < 0 ? url : url.slice(0, q);
      if (dispatcher.handle(req, res, pathname)) return;
      if (pathname === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
        openApiJson ??= JSON.stringify(buildOpenApi(routes, { version: WAGO_VERSION, serverUrl: config.WAGO_PUBLIC_URL }));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
        res.end(openApiJson);
        return;
      }
      if (nextHandle && isNextPath(pathname)) {
        setForwardedHeaders(req, config.WAGO_TRUST_PROXY);
        nextHandle.handle(req, res).catch((error: unknown) => {
          logger.error({ err: error, path: pathname }, 'Next.js failed to answer');
          if (!res.headersSent) dispatcher.notFound(req, res, pathname);
        });
        return;
      }
      dispatcher.notFound(req, res, pathname);
    };

    const httpServer = createServer({ keepAliveTimeout: 65_000 }, onRequest);
    runtime.httpServer = httpServer;
    const io = createSocketServer(httpServer, logger, { trustProxy: config.WAGO_TRUST_PROXY });
    runtime.io = io;
    cleanups.push(() => new Promise<void>((done) => void io.close(() => done())));
    if (config.REDIS_URL) {
      const closeRedis = await useRedisAdapter(io, config.REDIS_URL, logger);
      cleanups.push(closeRedis);
    }
    const unbridge = bridgeEventsToSockets(events, io, { localOnly: !config.REDIS_URL });
    cleanups.push(async () => unbridge());

    await new Promise<void>((ready, fail) => {
      httpServer.once('error', fail);
      httpServer.listen(config.PORT, config.HOST, () => ready());
    });
    const port = (httpServer.address() as AddressInfo).port;
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          // Live connections (dashboards, API clients) are closed now, so that they see the server
          // go at once and start reconnecting, and the server's close does not wait for them.
          io.engine.close();
          httpServer.close(() => done());
          httpServer.closeIdleConnections();
          const force = setTimeout(() => httpServer.closeAllConnections(), 10_000);
          force.unref();
        }),
    );

    if (!config.WAGO_DISABLE_NEXT) {
      nextHandle = await startNext({
        dir: options.nextDir ?? PROJECT_ROOT,
        dev: options.nextDev ?? config.NODE_ENV === 'development',
        hostname: config.HOST,
        port,
        logger,
      });
      const upgrade = nextHandle.upgrade;
      httpServer.on('upgrade', (req, socket, head) => {
        if ((req.url ?? '').startsWith('/socket.io')) return; // socket.io handles its own upgrades
        if (options.nextDev ?? config.NODE_ENV === 'development') {
          upgrade(req, socket, head).catch((error: unknown) => logger.warn({ err: error }, 'Next.js upgrade failed'));
        } else {
          socket.destroy();
        }
      });
      const handle = nextHandle;
      cleanups.push(() => handle.close());
    }

    internalUrl ??= `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST}:${port}`;
    sessions.start(events);
    cleanups.push(() => sessions.stopAll());
    const stopHeartbeat = startHeartbeat({ instanceId, url: () => internalUrl, version: runtime.version, startedAt: runtime.startedAt, logger });
    cleanups.push(stopHeartbeat);

    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      runtime,
      generatedAdminToken: admin.source === 'generated' ? admin.token : undefined,
      adminTokenSource: admin.source,
      databaseSource: embedded ? 'embedded' : 'env',
      sandbox,
      createdAdmin: createdAdmin ?? undefined,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
