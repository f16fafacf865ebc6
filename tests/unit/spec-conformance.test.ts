import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { routes } from '../../server/routes';
import { loadSpec, jsonTypeFor } from '../helpers/spec';

type Schema = { type?: string | string[]; anyOf?: Schema[]; $ref?: string; $defs?: Record<string, Schema>; properties?: Record<string, Schema>; required?: string[] };

function typesOf(schema: Schema, defs: Record<string, Schema>): string[] {
  if (schema.$ref) return typesOf(defs[schema.$ref.replace('#/$defs/', '')] ?? {}, defs);
  if (schema.anyOf) return schema.anyOf.flatMap((s) => typesOf(s, defs));
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

test('every declared route matches the documented contract (path, method, auth, fields, types, required)', () => {
  const spec = loadSpec();
  const bySignature = new Map(spec.map((r) => [`${r.method} ${r.path}`, r]));
  const problems: string[] = [];
  for (const route of routes) {
    const signature = `${route.method} ${route.path}`;
    const documented = bySignature.get(signature);
    if (!documented) {
      if (!route.extension) problems.push(`${signature}: not in the documented API (mark WaGo's own routes extension: true)`);
      continue;
    }
    if (documented.auth !== route.auth) problems.push(`${signature}: auth ${route.auth}, documented ${documented.auth}`);
    const schema: Schema = route.input ? (z.toJSONSchema(route.input, { io: 'input', unrepresentable: 'any' }) as Schema) : {};
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    for (const field of documented.fields) {
      const declared = properties[field.name];
      if (!declared) {
        problems.push(`${signature}: field ${field.name} is not declared`);
        continue;
      }
      const want = jsonTypeFor(field.type);
      const have = typesOf(declared, schema.$defs ?? {});
      // The contract's generator typed the original handlers' untyped `Phone` lists (/user/info,
      // /user/check) as `object`; they are arrays of numbers, so an array answers a documented object.
      const ok = have.includes(want) || (want === 'number' && have.includes('integer')) || (want === 'object' && have.includes('array'));
      if (!ok) problems.push(`${signature}: field ${field.name} has type ${have.join('|') || 'any'}, documented ${field.type}`);
      if (required.has(field.name) !== field.required) {
        problems.push(`${signature}: field ${field.name} required=${required.has(field.name)}, documented ${field.required}`);
      }
    }
    const documentedNames = new Set(documented.fields.map((f) => f.name));
    for (const name of Object.keys(properties)) {
      if (documentedNames.has(name)) continue;
      if (required.has(name)) problems.push(`${signature}: extra field ${name} must be optional`);
      const lower = [...documentedNames].find((d) => d.toLowerCase() === name.toLowerCase());
      if (lower) problems.push(`${signature}: field ${name} differs in case from documented ${lower}`);
    }
  }
  const declared = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const covered = spec.filter((r) => declared.has(`${r.method} ${r.path}`)).length;
  const extensions = routes.filter((r) => r.extension).map((r) => `${r.method} ${r.path}`);
  console.log(`spec conformance: ${covered} of ${spec.length} documented routes are declared`);
  if (extensions.length) console.log(`WaGo extensions beyond the contract: ${extensions.join(', ')}`);
  assert.deepEqual(problems, []);
  assert.equal(declared.size, routes.length, 'no route declared twice');
});
