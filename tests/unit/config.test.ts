import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError, CONFIG_NAMES } from '../../server/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';

test('defaults: port 1337, data in ./data, no database URL (embedded PostgreSQL)', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 1337);
  assert.equal(config.WAGO_DATA_DIR, './data');
  assert.equal(config.DATABASE_URL, undefined);
});

test('a wrong value is refused with one line naming the variable', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgresql:\/\/ URL$/],
    [{ WAGO_ADMIN_TOKEN: 'short' }, /^Invalid configuration: WAGO_ADMIN_TOKEN must be at least 16 characters$/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'));
  }
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT, 1337);
});

test('every setting WaGo reads is documented in docs/configuration.md', () => {
  const documented = readFileSync(join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');
  const missing = CONFIG_NAMES.filter((name) => name !== 'NODE_ENV' && !documented.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});
