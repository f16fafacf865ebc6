// `npm start` (or `node scripts/start.mjs`): builds the server and the dashboard when missing or
// stale, then runs the built server in this very process: one long-lived process, which gets
// SIGTERM/SIGINT itself (npm, when it runs this, passes them on). No TypeScript loader at run time.
import { register } from 'node:module';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNextBuild } from './lib/next-build.mjs';
import { ALLOCATOR_ENV } from './lib/allocator.mjs';
import { ensureServerBuild, serverBuildPaths } from './lib/server-build.mjs';

// The C allocator's settings (scripts/lib/allocator.mjs), read by glibc when the process starts:
// set by starting again in this same process (execve: same pid, signals still reach it), on Node
// 22.15 and later. A value the operator set is kept; WAGO_MALLOC_TUNING=0 leaves them alone.
if (
  typeof process.execve === 'function' &&
  process.env.WAGO_MALLOC_TUNING !== '0' &&
  Object.keys(ALLOCATOR_ENV).some((name) => process.env[name] === undefined)
) {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...ALLOCATOR_ENV, ...process.env });
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.env.NODE_ENV ??= 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
// A checkout builds what changed; an installation without the sources (a container image) runs
// what it was built with.
if (existsSync(join(root, 'server', 'main.ts'))) {
  await ensureServerBuild(root);
  if (process.env.WAGO_DISABLE_NEXT !== '1') ensureNextBuild(root);
}
const { entry, register: hook } = serverBuildPaths(root);
// Gives Baileys WaGo's AsyncLocalStorage (server/whatsapp/async-context/); registered before the
// server, hence Baileys, is imported.
register(pathToFileURL(hook).href);
// WAGO_SOURCE_MAPS=1: stack traces name the TypeScript sources (dist/*.map), read as modules load.
if (['1', 'true', 'yes'].includes(process.env.WAGO_SOURCE_MAPS ?? '')) process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
