// `npm run admin-token`: replaces the stored admin token with a new one and prints it once.
// (Has no effect while WAGO_ADMIN_TOKEN is set: that value wins.)
import pino from 'pino';
import { loadConfig } from '../server/config';
import { startEmbeddedPostgres } from '../server/db/embedded';
import { migrate } from '../server/db/migrator';
import { createPrisma } from '../server/db/prisma';
import { setRuntime } from '../server/runtime/registry';
import { rotateAdminToken } from '../server/services/auth.service';
import { TokenCache } from '../server/services/token-cache';
import { PROJECT_ROOT } from '../server/app';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CryptoBox } from '../server/lib/crypto-box';
import { EventBus } from '../server/events/bus';
import { SessionManager } from '../server/whatsapp/session-manager';

const config = loadConfig();
const logger = pino({ level: 'warn' });
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.WAGO_DATA_DIR, logger);
const url = config.DATABASE_URL ?? embedded!.url;
await migrate(url, join(PROJECT_ROOT, 'prisma', 'migrations'), logger);
const prisma = createPrisma(url, 1);
const crypto = new CryptoBox(randomBytes(32)); // this command reads and writes no encrypted data
const events = new EventBus(logger);
setRuntime({
  instanceId: 'admin-token-cli',
  startedAt: new Date(),
  version: '',
  config,
  logger,
  prisma,
  tokenCache: new TokenCache(),
  crypto,
  events,
  // never started: this command runs no session
  sessions: new SessionManager({ config, logger, crypto, publish: (id, type, data) => events.publish(id, type, data), ownerId: 'admin-token-cli', ownerUrl: () => null, leaseTtlMs: config.WAGO_LEASE_TTL_MS, restoreConcurrency: 1 }),
  adminTokenHash: '',
});
try {
  const token = await rotateAdminToken();
  process.stdout.write(`New admin token (shown only this once): ${token}\n`);
  if (config.WAGO_ADMIN_TOKEN) process.stdout.write('Note: WAGO_ADMIN_TOKEN is set and takes precedence over the stored token.\n');
  process.stdout.write('Restart WaGo for it to take effect.\n');
} finally {
  await prisma.$disconnect();
  await embedded?.stop();
}
