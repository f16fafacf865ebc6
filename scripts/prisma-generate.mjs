// Generates the Prisma client without Prisma's native schema engine, which can't be
// downloaded offline: `prisma generate` needs only *an* executable at
// PRISMA_SCHEMA_ENGINE_BINARY. Migrations are plain SQL applied by server/db/migrator.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'wago-prisma-'));
const stub = join(dir, 'schema-engine');
writeFileSync(stub, '#!/bin/sh\necho "schema engine not available offline" >&2\nexit 1\n');
chmodSync(stub, 0o755);
const result = spawnSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
rmSync(dir, { recursive: true, force: true });
if (result.status === 0) loadQueryCompilerFromFile(join(root, 'server', 'generated', 'prisma', 'internal', 'class.ts'));
process.exit(result.status ?? 1);

/**
 * Prisma's generated client imports its query compiler (WebAssembly) as a module holding it in
 * base64: that module's source and the string it exports stay in memory for the life of the
 * process (about 9 MB). Read the same file as text instead: the string is garbage once compiled.
 */
function loadQueryCompilerFromFile(file) {
  const source = readFileSync(file, 'utf8');
  const pattern = /const \{ wasm \} = await import\("@prisma\/client\/runtime\/(query_compiler_[a-z]+_bg\.postgresql\.wasm-base64\.mjs)"\)/;
  const match = pattern.exec(source);
  if (!match) {
    console.warn('prisma-generate: the generated client no longer imports its query compiler as expected; it stays imported as a module (about 9 MB more memory)');
    return;
  }
  const replacement =
    `const { readFile } = await import('node:fs/promises')\n` +
    `    const { createRequire } = await import('node:module')\n` +
    `    // Read as text, not imported: a module's source and exports live as long as the process.\n` +
    // Named at run time: a bundler that saw the name (Next.js's, for the dashboard's server code,
    // which uses the server's client and never this one) would copy the 9 MB module into its output.
    `    const specifier = ['@prisma/client', 'runtime', '${match[1]}'].join('/')\n` +
    `    const text = await readFile(createRequire(import.meta.url).resolve(specifier), 'utf8')\n` +
    `    const wasm = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'))`;
  writeFileSync(file, source.replace(match[0], replacement));
}
