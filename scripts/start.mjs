// `npm start`: builds the dashboard if needed, then runs WaGo (server/main.ts) in production mode.
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNextBuild } from './lib/next-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.WAGO_DISABLE_NEXT !== '1') ensureNextBuild(root);
// The second --import gives Baileys WaGo's AsyncLocalStorage (server/whatsapp/async-context/).
const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(root, 'server', 'whatsapp', 'async-context', 'register.mjs'), join(root, 'server', 'main.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
