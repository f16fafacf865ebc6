// Generates the Prisma client without Prisma's native schema engine, which can't be
// downloaded offline: `prisma generate` needs only *an* executable at
// PRISMA_SCHEMA_ENGINE_BINARY. Migrations are plain SQL applied by server/db/migrator.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
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
process.exit(result.status ?? 1);
