// `npm run admin-token`: replaces the stored admin token with a new one and prints it once.
// (Has no effect while WAGO_ADMIN_TOKEN is set: that value wins.)
import pino from 'pino';
import { loadConfig } from '../server/config';
import { startEmbeddedPostgres } from '../server/db/embedded';
import { migrate } from '../server/db/migrator';
import { createPrisma } from '../server/db/prisma';
import { rotateAdminToken } from '../server/services/auth.service';
import { PROJECT_ROOT } from '../server/app';
import { createRuntime } from '../server/runtime/create-runtime';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const config = loadConfig();
const logger = pino({ level: 'warn' });
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.WAGO_DATA_DIR, logger);
const url = config.DATABASE_URL ?? embedded!.url;
await migrate(url, join(PROJECT_ROOT, 'prisma', 'migrations'), logger);
const prisma = createPrisma(url, 1);
// This command reads and writes no encrypted data and runs no session.
createRuntime({ instanceId: 'admin-token-cli', config, logger, prisma, encryptionKey: randomBytes(32), ownerUrl: () => null });
try {
  const token = await rotateAdminToken();
  process.stdout.write(`New admin token (shown only this once): ${token}\n`);
  if (config.WAGO_ADMIN_TOKEN) process.stdout.write('Note: WAGO_ADMIN_TOKEN is set and takes precedence over the stored token.\n');
  process.stdout.write('Restart WaGo for it to take effect.\n');
} finally {
  await prisma.$disconnect();
  await embedded?.stop();
}
