import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/app';

export interface SpecField {
  name: string;
  type: string;
  required: boolean;
}
export interface SpecRoute {
  method: string;
  path: string;
  section: string;
  summary: string;
  fields: SpecField[];
  handler: string;
  auth: 'session' | 'admin' | 'none';
}

/** The product's API contract (shared/spec/routes.json beside the repository). */
export function loadSpec(): SpecRoute[] {
  const candidates = [join(PROJECT_ROOT, '..', 'shared', 'spec', 'routes.json'), join(PROJECT_ROOT, 'shared', 'spec', 'routes.json')];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error('routes.json not found beside the repository (../shared/spec/routes.json)');
  return JSON.parse(readFileSync(file, 'utf8')) as SpecRoute[];
}

/** The JSON-Schema type a documented field type must have. */
export function jsonTypeFor(specType: string): string {
  const t = specType.toLowerCase();
  if (t === 'string') return 'string';
  if (t === 'number' || t === 'float') return 'number';
  if (t === 'integer') return 'integer';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'object') return 'object';
  if (t === 'array' || t.startsWith('array<')) return 'array';
  throw new Error(`unknown documented type ${specType}`);
}
