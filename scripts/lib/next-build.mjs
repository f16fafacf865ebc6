// Builds the Next.js app when it has never been built or its sources changed since.
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCES = ['app', 'components', 'public', 'server', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

function walk(root, path, out) {
  const info = statSync(path);
  if (info.isDirectory()) {
    if (path.endsWith('generated')) return;
    for (const name of readdirSync(path).sort()) walk(root, join(path, name), out);
  } else {
    out.push(`${relative(root, path)}:${info.size}:${info.mtimeMs}`);
  }
}

export function sourceHash(root, sources = SOURCES) {
  const entries = [];
  for (const s of sources) if (existsSync(join(root, s))) walk(root, join(root, s), entries);
  return createHash('sha256').update(entries.join('\n')).digest('hex');
}

export function ensureNextBuild(root, { force = false } = {}) {
  const stamp = join(root, '.next', 'wago-source-hash');
  const hash = sourceHash(root);
  const fresh = existsSync(join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash;
  if (fresh && !force) return false;
  process.stdout.write('Building the dashboard (next build)...\n');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('next build failed');
  writeFileSync(stamp, hash);
  return true;
}
