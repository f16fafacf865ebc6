import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { migrate } from '../../server/db/migrator';
import { createPrisma } from '../../server/db/prisma';
import { PROJECT_ROOT } from '../../server/app';

interface ModelField {
  column: string;
  optional: boolean;
  list: boolean;
}

/** Reads prisma/schema.prisma: table name and scalar columns of each model. */
function parseSchema(): Map<string, Map<string, ModelField>> {
  const text = readFileSync(join(PROJECT_ROOT, 'prisma', 'schema.prisma'), 'utf8');
  const modelNames = new Set([...text.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]));
  const tables = new Map<string, Map<string, ModelField>>();
  for (const block of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, name, body] = block;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    const fields = new Map<string, ModelField>();
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('//') || line.startsWith('@@')) continue;
      const m = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!m) continue;
      const [, field, type, list, optional, attrs] = m;
      if (modelNames.has(type)) continue; // relation field, no column
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? field;
      fields.set(column, { column, optional: Boolean(optional), list: Boolean(list) });
    }
    tables.set(table, fields);
  }
  return tables;
}

let db: TestDatabase;
const log = pino({ level: 'silent' });

before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

test('migrations apply once, are recorded, and a second run applies nothing', async () => {
  const dir = join(PROJECT_ROOT, 'prisma', 'migrations');
  const first = await migrate(db.url, dir, log);
  assert.ok(first.length >= 1);
  assert.deepEqual(await migrate(db.url, dir, log), []);
  const concurrent = await Promise.all([migrate(db.url, dir, log), migrate(db.url, dir, log)]);
  assert.deepEqual(concurrent, [[], []]);
});

test('the migrated database has exactly the tables and columns prisma/schema.prisma describes', async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_wago_migrations'`,
    );
    const actual = new Map<string, Map<string, string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
      actual.get(r.table_name)!.set(r.column_name, r.is_nullable);
    }
    const expected = parseSchema();
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), 'same tables');
    for (const [table, fields] of expected) {
      const columns = actual.get(table)!;
      assert.deepEqual([...columns.keys()].sort(), [...fields.keys()].sort(), `same columns in ${table}`);
      for (const field of fields.values()) {
        if (field.list) continue; // Prisma lists are nullable arrays in PostgreSQL
        assert.equal(columns.get(field.column), field.optional ? 'YES' : 'NO', `${table}.${field.column} nullability`);
      }
    }
  } finally {
    await client.end();
  }
});

test('the generated client writes and reads every model on the migrated database', async () => {
  const prisma = createPrisma(db.url, 2);
  try {
    const account = await prisma.account.create({ data: { email: 'owner@example.org', role: 'admin', name: 'Owner', passwordHash: 'x' } });
    const session = await prisma.session.create({
      data: { name: 's', tokenHash: 'a'.repeat(64), tokenPrefix: 'abcd', ownerId: account.id, events: ['Message'], webhookUrl: 'https://e.org' },
    });
    await prisma.serverSetting.create({ data: { key: 'k', value: 'v' } });
    const read = await prisma.session.findUniqueOrThrow({ where: { id: session.id }, include: { owner: true } });
    assert.equal(read.owner?.email, 'owner@example.org');
    assert.deepEqual(read.events, ['Message']);
    assert.equal(read.state, 'disconnected');
    assert.equal((await prisma.serverSetting.findUniqueOrThrow({ where: { key: 'k' } })).value, 'v');
    await prisma.sessionAuth.create({ data: { sessionId: session.id, creds: Uint8Array.from([1, 2, 3]) } });
    await prisma.sessionKey.create({ data: { sessionId: session.id, type: 'pre-key', keyId: '1', value: Uint8Array.from([4]) } });
    await prisma.sessionLease.create({ data: { sessionId: session.id, ownerId: 'p1', ownerUrl: 'http://x', expiresAt: new Date() } });
    await prisma.webhookEvent.create({ data: { eventId: '00000000-0000-4000-8000-000000000001', sessionId: session.id, type: 'Test', payload: { a: 1 } } });
    const message = await prisma.message.create({
      data: { sessionId: session.id, messageId: 'ABC', chatJid: '1@s.whatsapp.net', fromMe: true, timestamp: new Date(), content: { conversation: 'hi' }, text: 'hi' },
    });
    await prisma.messageStatus.create({ data: { messageRow: message.id, status: 'delivered', at: new Date() } });
    await prisma.contact.create({ data: { sessionId: session.id, jid: '2@s.whatsapp.net', lid: '9@lid', pushName: 'Two' } });
    const full = await prisma.session.findUniqueOrThrow({
      where: { id: session.id },
      include: { auth: true, keys: true, lease: true, webhookEvents: true, messages: { include: { statuses: true } }, contacts: true },
    });
    assert.deepEqual([...full.auth!.creds], [1, 2, 3]);
    assert.equal(full.keys.length, 1);
    assert.equal(full.lease?.ownerId, 'p1');
    assert.deepEqual(full.webhookEvents[0].payload, { a: 1 });
    assert.equal(full.messages[0].statuses[0].status, 'delivered');
    assert.equal(full.contacts[0].pushName, 'Two');
    assert.equal(full.contacts[0].inAddressBook, false);
    await prisma.account.delete({ where: { id: account.id } });
    assert.equal((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).ownerId, null, 'owner removal keeps the session');
    await prisma.session.delete({ where: { id: session.id } });
    const left = await Promise.all([prisma.sessionAuth.count(), prisma.sessionKey.count(), prisma.sessionLease.count(), prisma.webhookEvent.count(), prisma.message.count(), prisma.messageStatus.count(), prisma.contact.count()]);
    assert.deepEqual(left, [0, 0, 0, 0, 0, 0, 0], 'deleting a session deletes all its data');
  } finally {
    await prisma.$disconnect();
  }
});

test('an applied migration that was edited afterwards stops the start', async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`UPDATE "_wago_migrations" SET checksum = 'tampered'`);
  await client.end();
  await assert.rejects(migrate(db.url, join(PROJECT_ROOT, 'prisma', 'migrations'), log), /was changed after it was applied/);
});
