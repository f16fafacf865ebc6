// `npm run build`: the server (esbuild, into dist/) and the dashboard (next build, into .next/).
// WAGO_DISABLE_NEXT=1 builds the server only.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuild } from './lib/server-build.mjs';
import { ensureNextBuild } from './lib/next-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await ensureServerBuild(root, { force: true });
if (process.env.WAGO_DISABLE_NEXT !== '1') ensureNextBuild(root, { force: true });
