import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { startWago } from './app';

// `npm start` entry: boots WaGo and stops it cleanly on SIGTERM/SIGINT.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // The TypeScript loader turns source-mapped stack traces on; Baileys captures a stack for
  // every query and send, which source maps make expensive. Off unless asked for.
  if (!config.WAGO_SOURCE_MAPS) process.setSourceMapsEnabled(false);
  const logger = createLogger(config.LOG_LEVEL);
  const wago = await startWago({ config, logger });
  const lines = [
    `WaGo ${wago.runtime.version} is running at ${wago.url}`,
    `  REST API:   ${wago.url}/server/ok   (reference: ${wago.url}/docs, OpenAPI: ${wago.url}/openapi.json)`,
    `  Database:   ${wago.databaseSource === 'embedded' ? `embedded PostgreSQL, data in ${config.WAGO_DATA_DIR}` : 'DATABASE_URL'}`,
  ];
  if (wago.sandbox) {
    lines.push(
      `  Sandbox:    WhatsApp emulator at ${wago.sandbox.wsUrl} (no real WhatsApp); control API ${wago.sandbox.controlUrl}`,
      `  Simulated phones: ${wago.sandbox.phones.map((p) => `${p.name} +${p.phone}`).join(', ')}`,
    );
  }
  if (wago.adminTokenSource === 'generated') {
    lines.push(
      `  Admin token (shown only this once, stored hashed): ${wago.generatedAdminToken}`,
      '  Send it as the admintoken header. Lost it? Run `npm run admin-token` for a new one.',
    );
  } else if (wago.adminTokenSource === 'env') {
    lines.push('  Admin token: the value of WAGO_ADMIN_TOKEN');
  } else {
    lines.push('  Admin token: the one printed at the first start (`npm run admin-token` makes a new one)');
  }
  lines.push(`  Dashboard:  ${wago.url}/dashboard`);
  if (wago.createdAdmin?.generatedPassword) {
    lines.push(
      `  First admin account: ${wago.createdAdmin.email}, password (shown only this once): ${wago.createdAdmin.generatedPassword}`,
      '  Sign in and change it under Account, or set WAGO_ADMIN_EMAIL / WAGO_ADMIN_PASSWORD before the first start.',
    );
  } else if (wago.createdAdmin) {
    lines.push(`  First admin account: ${wago.createdAdmin.email} with the password in WAGO_ADMIN_PASSWORD`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    wago.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`WaGo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && error.cause) process.stderr.write(`  cause: ${String((error.cause as Error).message ?? error.cause)}\n`);
  process.exit(1);
});
