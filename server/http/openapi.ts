import { z } from 'zod';
import type { AnyRoute } from './route';
import { errorBodySchema, successBodySchema } from './envelope';

type JsonSchema = Record<string, unknown>;

const SECURITY: Record<string, Array<Record<string, string[]>>> = {
  session: [{ SessionToken: [] }],
  admin: [{ AdminToken: [] }],
  none: [],
};

/** Named schemas (`.meta({ id })`) found while converting; they become components. */
type Components = Record<string, JsonSchema>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof inner === 'string' ? inner.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(inner);
    }
    return out;
  }
  return value;
}

function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  for (const [id, def] of Object.entries(defs)) components[id] ??= rewriteRefs(def) as JsonSchema;
  if (typeof json.id === 'string' && !('$ref' in json)) {
    const id = json.id;
    delete json.id;
    components[id] ??= rewriteRefs(json) as JsonSchema;
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewriteRefs(json) as JsonSchema;
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operation(route: AnyRoute, components: Components) {
  const op: Record<string, unknown> = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: SECURITY[route.auth],
  };
  if (route.input) {
    const schema = toSchema(route.input, 'input', components);
    if (route.method === 'GET') {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      op.parameters = Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }));
    } else {
      op.requestBody = {
        required: ((schema.required ?? []) as string[]).length > 0,
        content: { 'application/json': { schema } },
      };
    }
  }
  const data = route.output ?? z.unknown();
  const responses: Record<string, unknown> = {
    200: route.rawContentType
      ? { description: 'Success (the body as it is, not the JSON envelope)', content: { [route.rawContentType]: { schema: toSchema(data, 'output', components) } } }
      : { description: 'Success', content: { 'application/json': { schema: toSchema(successBodySchema(data), 'output', components) } } },
  };
  if (route.input || route.auth !== 'none') responses[400] = errorResponse('Bad input: the message names the field');
  if (route.auth !== 'none') responses[401] = errorResponse('Missing or unknown token');
  if (route.auth === 'admin') {
    responses[403] = errorResponse(route.tenantScoped ? 'A session token was sent to an admin route' : 'A session token, or an account API key (this route is server-wide), was sent');
  }
  op.responses = responses;
  return op;
}

/** The OpenAPI 3.1 document, derived entirely from the route declarations. */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Components = {};
  toSchema(errorBodySchema, 'output', components);
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route, components);
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'WaGo REST API',
      version: info.version,
      description:
        'Self-hosted WhatsApp gateway. Every answer has one shape: success `{"code":200,"success":true,"data":...}`, ' +
        'error `{"code":4xx,"success":false,"error":"message naming the field"}`. Each answer carries an `X-Request-Id` header. ' +
        'Session routes take the `token` header, admin routes the `admintoken` header.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    tags,
    paths,
    components: {
      securitySchemes: {
        SessionToken: { type: 'apiKey', in: 'header', name: 'token', description: 'Session token from /session/init' },
        AdminToken: { type: 'apiKey', in: 'header', name: 'admintoken', description: 'Admin token (WAGO_ADMIN_TOKEN), or an account API key (wago_…) scoped to its account\'s sessions' },
      },
      schemas: components,
    },
  };
}
