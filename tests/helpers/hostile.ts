import { Agent, request } from 'undici';
import pg from 'pg';
import type { z } from 'zod';
import type { AnyRoute } from '../../server/http/route';
import type { Emulator } from '../../emulator/index';

/** Tables whose rows a hostile or foreign request must never change (columns that tick on their own left out). */
export const GUARDED_TABLES = ['accounts', 'sessions', 'messages', 'message_statuses', 'contacts', 'group_metadata', 'calls', 'labels', 'label_associations', 'server_settings', 'session_auth', 'chat_reads'] as const;
const VOLATILE = ['updated_at', 'last_seen_at', 'heartbeat_at', 'expires_at'];

/** Row count and checksum per guarded table (optionally only one session's rows). */
export async function dbSnapshot(url: string, sessionId?: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const table of GUARDED_TABLES) {
      const cols = await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table]);
      const names = cols.rows.map((r) => r.column_name);
      const scoped = sessionId && (names.includes('session_id') || table === 'sessions');
      const where = scoped ? `WHERE ${table === 'sessions' ? 'id' : 'session_id'} = $1` : '';
      const drop = VOLATILE.filter((c) => names.includes(c)).map((c) => ` - '${c}'`).join('');
      const q = `SELECT count(*)::text AS n, coalesce(md5(string_agg((to_jsonb(t)${drop})::text, '|' ORDER BY (to_jsonb(t)${drop})::text)), '') AS sum FROM "${table}" t ${where}`;
      const r = await client.query<{ n: string; sum: string }>(q, scoped ? [sessionId] : []);
      out[table] = `${r.rows[0]!.n}:${r.rows[0]!.sum}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** What WhatsApp's side holds that a request could change: groups, blocklists, privacy, app state, messages. */
export function worldSnapshot(emu: Emulator): Record<string, unknown> {
  const c = emu.control;
  const accounts = c.listAccounts().map((a) => {
    const acc = c.account(a.phone);
    return {
      ...a,
      devices: a.devices.map((d) => `${d.jid}:${d.state}`),
      blocklist: [...acc.blocklist].sort(),
      privacy: acc.privacy,
      received: c.received(a.phone).length,
      sent: c.sent(a.phone).length,
      statuses: c.statuses(a.phone).length,
      appState: c.appState(a.phone).length,
    };
  });
  return { accounts, groups: c.groups() };
}

type Def = { type?: string; shape?: Record<string, z.ZodType>; in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType; options?: z.ZodType[] };

/** The top-level field names of a route's input schema (objects through pipes, defaults, unions). */
export function inputFields(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type === 'pipe' && def.in) return inputFields(def.in);
  if (def.innerType) return inputFields(def.innerType);
  if (def.schema) return inputFields(def.schema);
  if (def.options) return [...new Set(def.options.flatMap((o) => inputFields(o)))];
  return [];
}

/** Hostile values for one field: wrong types, oversized, nested, control characters, injections. */
export function hostileValues(): unknown[] {
  let deep: unknown = 'x';
  for (let i = 0; i < 2000; i++) deep = { a: deep };
  return [
    { $gt: '' },
    [1, 'two', null],
    true,
    -1e308,
    'x'.repeat(64 * 1024),
    deep,
    '\u0000\u0007\u001b[31m\r\n\u2028\ud800',
    "' OR 1=1; DROP TABLE sessions; --",
    '../../../../etc/passwd',
    '<script>alert(1)</script>${7*7}{{7*7}}',
    'http://169.254.169.254/latest/meta-data/',
  ];
}

/** One hostile request: a raw body (POST/PUT/DELETE) or query string (GET), and extra headers. */
export interface HostileCase {
  label: string;
  body?: string;
  query?: string;
  headers?: Record<string, string>;
  /** The JSON value the server will validate (undefined when it cannot parse as an object). */
  parsed?: unknown;
}

/** A bounded, deterministic set of hostile cases for one route (about 20). */
export function hostileCases(route: AnyRoute): HostileCase[] {
  const fields = inputFields(route.input);
  const field = fields[0] ?? 'Phone';
  const values = hostileValues();
  const objects: Array<[string, Record<string, unknown>]> = [
    ['__proto__ pollution', JSON.parse(`{"__proto__": {"polluted": "yes", "isAdmin": true}, "${field}": {"__proto__": {"polluted": "yes"}}}`) as Record<string, unknown>],
    ['constructor pollution', { constructor: { prototype: { polluted: 'yes' } }, [field]: { constructor: { prototype: { polluted: 'yes' } } } }],
    ...values.map((v, i): [string, Record<string, unknown>] => [`every field = hostile value #${i}`, Object.fromEntries((fields.length ? fields : [field]).map((f) => [f, v]))]),
  ];
  if (route.method === 'GET') {
    // Node's parser refuses more than 16 KiB of headers (431) before WaGo sees them: stay under.
    const q = (o: Record<string, unknown>) => {
      const cap = Math.floor(4096 / Math.max(1, Object.keys(o).length));
      return new URLSearchParams(Object.entries(o).map(([k, v]) => [k, (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, cap)])).toString();
    };
    return [
      ...objects.map(([label, o]) => ({ label, query: q(o) })),
      { label: 'array query', query: `${field}[]=1&${field}[]=2&${field}=3` },
      { label: 'broken percent-encoding', query: `${field}=%E0%A4%A&%FF=%00` },
      { label: 'prototype keys in query', query: '__proto__=x&constructor=y&hasOwnProperty=z' },
      { label: 'oversized query', query: `${field}=${'9'.repeat(10 * 1024)}` },
      { label: 'odd headers', query: `${field}=1`, headers: { 'content-type': 'text/plain', 'x-request-id': '\u00ff'.repeat(300) } },
    ];
  }
  return [
    ...objects.map(([label, o]) => ({ label, body: JSON.stringify(o), parsed: JSON.parse(JSON.stringify(o)) as unknown })),
    { label: 'not JSON', body: `{"${field}": ` },
    { label: 'JSON array', body: '[{"a":1}]', parsed: [] },
    { label: 'JSON null', body: 'null', parsed: null },
    { label: 'JSON string', body: '"hello"', parsed: 'hello' },
    { label: 'deeply nested array', body: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
    { label: 'oversized body', body: `{"${field}":"${'a'.repeat(300 * 1024)}"}` },
    { label: 'duplicate keys, form content type', body: `{"${field}":1,"${field}":[2]}`, parsed: { [field]: [2] }, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  ];
}

/** Whether the route's schema accepts the case as valid input (then it is a real request, not a hostile one). */
export function schemaAccepts(route: AnyRoute, c: HostileCase): boolean {
  // A route without input runs whatever is sent: every case is a valid request to it.
  if (!route.input) return true;
  let raw: unknown;
  if (route.method === 'GET') raw = Object.fromEntries(new URLSearchParams(c.query ?? ''));
  else if ('parsed' in c) raw = c.parsed;
  else return false;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  return route.input.safeParse(raw).success;
}

export interface RawAnswer {
  status: number;
  text: string;
}

const agent = new Agent({ keepAliveTimeout: 10_000, connections: 8 });

/** Sends one request as-is (keep-alive), never throwing for an HTTP status. */
export async function sendRaw(baseUrl: string, method: string, path: string, c: HostileCase, auth: Record<string, string>): Promise<RawAnswer> {
  const url = `${baseUrl}${path}${c.query ? `?${c.query}` : ''}`;
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...auth, ...c.headers },
    body: method === 'GET' ? undefined : c.body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

export async function closeAgent(): Promise<void> {
  await agent.close();
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
