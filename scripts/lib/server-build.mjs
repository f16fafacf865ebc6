// Builds WaGo's server ahead of time: server/main.ts and everything it imports from the project,
// bundled by esbuild into dist/server.mjs (packages stay in node_modules), plus the module hook
// that gives Baileys WaGo's AsyncLocalStorage (dist/async-context/). `npm start` runs the result
// with plain Node: no TypeScript loader at run time. Rebuilt when its sources changed.
import { existsSync, readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sourceHash } from './next-build.mjs';

const SOURCES = ['server', 'prisma/schema.prisma', 'package-lock.json', 'tsconfig.json', 'scripts/lib/server-build.mjs'];

/** The built server's entry and the hook registration it must be started with. */
export function serverBuildPaths(root) {
  const dist = join(root, 'dist');
  return { entry: join(dist, 'server.mjs'), register: join(dist, 'async-context', 'register.mjs'), stamp: join(dist, 'wago-source-hash') };
}

export function serverBuildFresh(root) {
  const { entry, stamp } = serverBuildPaths(root);
  return existsSync(entry) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash(root, SOURCES);
}

/** Builds dist/ when it is missing or older than its sources; returns whether it built. */
export async function ensureServerBuild(root, { force = false, quiet = false } = {}) {
  if (!force && serverBuildFresh(root)) return false;
  if (!quiet) process.stdout.write('Building the server (esbuild)...\n');
  const { build, stop } = await import('esbuild');
  const hooks = join(root, 'server', 'whatsapp', 'async-context');
  const out = join(root, 'dist', 'async-context');
  // One copy of the storages module, shared by the server and by what Baileys imports.
  const storagesExternal = {
    name: 'storages-external',
    setup(b) {
      b.onResolve({ filter: /async-context\/storages(\.ts)?$|^\.\/storages\.ts$/ }, (args) => ({
        path: args.importer.endsWith('baileys-async-hooks.mjs') ? './storages.mjs' : './async-context/storages.mjs',
        external: true,
      }));
    },
  };
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', legalComments: 'none', sourcemap: 'linked', plugins: [storagesExternal] };
  // Code splitting keeps what loads on demand (calls' WebRTC, Next.js, Redis) out of the start.
  // Chunks sit next to server.mjs: the server finds the project one folder up from its module.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({ ...common, entryPoints: { server: join(root, 'server', 'main.ts') }, outdir: join(root, 'dist'), splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: 'chunk-[hash]' });
  await build({ ...common, entryPoints: [join(hooks, 'baileys-async-hooks.mjs')], outfile: join(out, 'baileys-async-hooks.mjs') });
  await build({ ...common, plugins: [], entryPoints: [join(hooks, 'storages.ts')], outfile: join(out, 'storages.mjs') });
  for (const file of ['register.mjs', 'resolve-hooks.mjs']) copyFileSync(join(hooks, file), join(out, file));
  // register.mjs also registers ../intake/receipt-hook.mjs (an incoming message's receipt waits for its store).
  mkdirSync(join(root, 'dist', 'intake'), { recursive: true });
  copyFileSync(join(root, 'server', 'whatsapp', 'intake', 'receipt-hook.mjs'), join(root, 'dist', 'intake', 'receipt-hook.mjs'));
  writeFileSync(serverBuildPaths(root).stamp, sourceHash(root, SOURCES));
  // esbuild keeps its service process alive for further builds: `npm start` builds once, then
  // runs the server in this process, which must be the only one.
  await stop();
  return true;
}
