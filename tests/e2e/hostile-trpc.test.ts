import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/shared';
import { appRouter } from '../../server/trpc/router';
import { getRuntime } from '../../server/runtime/registry';
import type { TrpcContext } from '../../server/trpc/init';
import type { Actor } from '../../server/auth/actor';
import { startEmulatedWago, linkedSession, waitFor, type EmulatedWago } from '../helpers/emulated-wago';
import { dbSnapshot, hostileValues, pool, worldSnapshot } from '../helpers/hostile';
import { acceptsInput, procedureOf, trpcProcedures, type Procedure } from '../helpers/trpc-procedures';

// The dashboard's side of the hostile-input suite: every tRPC procedure (read from the router,
// so new ones are covered without edits) gets hostile inputs (wrong types, oversized, nested,
// prototype-polluting, control characters, injections), as the admin and as a tenant that owns
// nothing. None may fail as INTERNAL_SERVER_ERROR, change the database or WhatsApp's side, or
// show the tenant anything of the linked session.

let env: EmulatedWago;
let sessionId: string;
let admin: Actor;
const tenant: Actor = { id: randomUUID(), email: 'hostile@tenant.test', name: null, role: 'tenant' };

async function sql(text: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: env.db.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

before(async () => {
  env = await startEmulatedWago();
  await linkedSession(env, 'hostile-trpc');
  sessionId = String((await sql(`SELECT id FROM sessions WHERE name = 'hostile-trpc'`))[0]!.id);
  await sql(`INSERT INTO accounts (id, email, role, updated_at) VALUES ($1, $2, 'tenant', now())`, [tenant.id, tenant.email]);
  const [row] = await sql(`SELECT id, email FROM accounts WHERE role = 'admin' LIMIT 1`);
  admin = { id: String(row!.id), email: String(row!.email), name: null, role: 'admin' };
});
after(async () => {
  await env?.stop();
});

async function settled(): Promise<string> {
  let last = '';
  return waitFor('a stable snapshot', async () => {
    const key = JSON.stringify({ db: await dbSnapshot(env.db.url), world: worldSnapshot(env.emu) });
    if (key === last) return key;
    last = key;
    await new Promise((r) => setTimeout(r, 500));
    return undefined;
  }, 30_000);
}

function context(actor: Actor, sameOrigin: boolean): TrpcContext {
  return { runtime: getRuntime(), actor, sameOrigin, cookie: null, forwardedBy: null, client: { ip: '198.51.100.9', userAgent: 'hostile' } };
}

/**
 * Hostile inputs for one procedure: whole-input shapes, then every field hostile. A procedure on
 * a session gets its other fields hostile beside the real session id (the admin reaches it, the
 * tenant must not), and a hostile session id itself a few times (it stops at the access check).
 */
function hostileInputs(p: Procedure, actor: Actor): Array<{ label: string; input: unknown }> {
  const fields = p.fields.length ? p.fields : ['input'];
  const onSession = fields.includes('sessionId');
  const out: Array<{ label: string; input: unknown }> = [
    { label: 'null', input: null },
    { label: 'array', input: [1, 'two', null] },
    { label: 'string', input: "' OR 1=1; --" },
    { label: '__proto__ pollution', input: JSON.parse(`{"__proto__": {"polluted": "yes", "role": "admin"}, "sessionId": "${sessionId}"}`) as unknown },
    { label: 'constructor pollution', input: { constructor: { prototype: { polluted: 'yes' } }, sessionId } },
  ];
  hostileValues().forEach((value, i) => {
    const all = Object.fromEntries(fields.map((f) => [f, value]));
    // The tenant stops at the access check whatever the other fields hold: a few suffice.
    if (onSession && (actor.role === 'admin' || i % 4 === 0)) out.push({ label: `own session, other fields = hostile #${i}`, input: { ...all, sessionId } });
    if (!onSession || (actor.role === 'admin' && i === 6)) out.push({ label: `every field = hostile #${i}`, input: all });
  });
  return out;
}

test('every tRPC procedure with hostile input, as the admin and as another tenant: never INTERNAL, never a change, nothing of others', async (t) => {
  const before = await settled();
  const started = Date.now();
  const procedures = trpcProcedures();
  assert.ok(procedures.length > 40, `procedures: ${procedures.length}`);
  const jobs: Array<{ p: Procedure; label: string; input: unknown; actor: Actor; sameOrigin: boolean }> = [];
  for (const p of procedures) {
    for (const actor of [admin, tenant]) {
      for (const { label, input } of hostileInputs(p, actor)) {
        // Input the schema accepts is a valid call: a mutation then comes cross-site, so it must
        // be refused before it runs; queries run as they are.
        const valid = acceptsInput(p, input);
        jobs.push({ p, label, input, actor, sameOrigin: !(valid && p.type === 'mutation') });
      }
    }
  }
  const outcomes = await pool(jobs, 8, async (job) => {
    const caller = appRouter.createCaller(context(job.actor, job.sameOrigin));
    const started = Date.now();
    try {
      const result = await procedureOf(caller, job.p.path)(job.input);
      return { job, code: 'OK', text: JSON.stringify(result ?? null), ms: Date.now() - started };
    } catch (error) {
      if (!(error instanceof TRPCError)) return { job, code: 'THROWN', text: String(error), ms: Date.now() - started };
      // The message as the dashboard receives it (the router's error formatter names the field).
      const shape = getErrorShape({ config: appRouter._def._config, error, type: job.p.type, path: job.p.path, input: job.input, ctx: undefined });
      return { job, code: error.code, text: shape.message, ms: Date.now() - started };
    }
  });
  const where = (o: (typeof outcomes)[number]) => `${o.job.p.path} as ${o.job.actor.role} [${o.job.label}]: ${o.code} ${o.text.slice(0, 200)}`;
  assert.deepEqual(outcomes.filter((o) => o.code === 'INTERNAL_SERVER_ERROR' || o.code === 'THROWN').map(where), []);
  // Refused input names what is wrong ("field: …"), like the REST API.
  for (const o of outcomes.filter((x) => x.code === 'BAD_REQUEST')) assert.match(o.text, /^[\w.]+: |^input/, where(o));
  // Mutations sent cross-site (the valid ones) were all refused: as cross-site, or for a NUL character first.
  for (const o of outcomes.filter((x) => !x.job.sameOrigin)) assert.ok(o.code === 'FORBIDDEN' || (o.code === 'BAD_REQUEST' && /NUL/.test(o.text)), where(o));
  // The tenant owns nothing: no answer shows the linked session.
  assert.deepEqual(outcomes.filter((o) => o.job.actor === tenant && o.text.includes(sessionId)).map(where), []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(await settled(), before, 'the database or the emulated WhatsApp changed');
  const slow = Object.entries(outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.job.p.path]: (acc[o.job.p.path] ?? 0) + o.ms }), {}))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  t.diagnostic(`slowest procedures (total ms): ${JSON.stringify(slow)}`);
  const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.code]: (acc[o.code] ?? 0) + 1 }), {});
  t.diagnostic(`${outcomes.length} hostile calls over ${procedures.length} procedures in ${Date.now() - started} ms: ${JSON.stringify(counts)}`);
});
