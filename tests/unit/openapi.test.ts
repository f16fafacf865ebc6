import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { routes } from '../../server/routes';
import { buildOpenApi } from '../../server/http/openapi';
import { PROJECT_ROOT } from '../../server/app';
import { validate } from '@readme/openapi-parser';
import { loadSpec } from '../helpers/spec';

type Op = {
  security: unknown[];
  requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown>; required?: string[] } } } };
  responses: Record<string, { content: { 'application/json': { schema: Record<string, unknown> } } }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { name: string }> } };

test('`npm run openapi` prints a valid OpenAPI 3.1 document without a database', async () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'openapi-cli.ts')], {
    cwd: PROJECT_ROOT,
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  const doc = JSON.parse(out) as Doc;
  assert.equal(doc.openapi, '3.1.0');
  const result = await validate(JSON.parse(out) as Parameters<typeof validate>[0]);
  assert.equal(result.valid, true, JSON.stringify(result));
  assert.deepEqual(doc, JSON.parse(JSON.stringify(buildOpenApi(routes, { version: (doc as unknown as { info: { version: string } }).info.version }))));
});

test('every route is in the document with its documented field names, required flags and auth', () => {
  const doc = buildOpenApi(routes, { version: 'test' }) as unknown as Doc;
  assert.equal(doc.components.securitySchemes.SessionToken.name, 'token');
  assert.equal(doc.components.securitySchemes.AdminToken.name, 'admintoken');
  const spec = loadSpec();
  for (const route of routes) {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    assert.ok(op, `${route.method} ${route.path} is in the document`);
    const documented = spec.find((s) => s.method === route.method && s.path === route.path) ?? { auth: route.auth, fields: [] };
    const expected = documented.auth === 'session' ? [{ SessionToken: [] }] : documented.auth === 'admin' ? [{ AdminToken: [] }] : [];
    assert.deepEqual(op.security, expected);
    const body = op.requestBody?.content['application/json'].schema;
    for (const field of documented.fields) {
      assert.ok(body?.properties?.[field.name], `${route.path} documents ${field.name}`);
      assert.equal(body?.required?.includes(field.name) ?? false, field.required, `${route.path} ${field.name} required flag`);
    }
    if (route.rawContentType) {
      // Answered as it is (e.g. Prometheus text), not in the envelope.
      assert.deepEqual(Object.keys(op.responses['200'].content), [route.rawContentType]);
    } else {
      const ok = op.responses['200'].content['application/json'].schema as { properties: Record<string, unknown> };
      assert.deepEqual(Object.keys(ok.properties).sort(), ['code', 'data', 'success']);
    }
    if (route.auth !== 'none') assert.ok(op.responses['401'], 'documents 401');
  }
  assert.ok(doc.components.schemas.Error);
});
