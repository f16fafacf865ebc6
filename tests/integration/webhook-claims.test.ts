import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { webhookWagoForFile, type WebhookSession } from '../helpers/webhook-wago';
import { eventually } from '../helpers/until';
import { webhookPipelineOf } from '../../server/webhooks';
import { webhookEventRepository, type ClaimedEvent } from '../../server/repositories/webhook-event.repository';
import type { NewWebhookAttempt } from '../../server/repositories/webhook-attempt.repository';

// How the outbox counts attempts when a batch is claimed: every leased event's attempt is counted by
// the claim, so a repeat after a crash says it is a further attempt, and an event released without
// being attempted gets its count back. On real PostgreSQL.
const env = webhookWagoForFile<unknown>();
const { receiver, newSession, setHook } = env;
const MAX_AGE_SECONDS = 24 * 3600;

/** Writes `n` events to the session's outbox in one statement (so one claim can take them all); returns their ids in order. */
async function writeEvents(session: WebhookSession, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await webhookEventRepository.insertMany(ids.map((eventId, i) => ({ eventId, sessionId: session.id, type: 'Message', payload: { id: eventId, type: 'Message', data: { n: i } } })));
  return ids;
}

/** Each event's `attempts` column and the attempt rows written for it, in the given order. */
async function countsOf(session: WebhookSession, ids: string[]): Promise<Array<{ column: number; rows: number[]; status: string }>> {
  const prisma = env.wago.runtime.prisma;
  const events = await prisma.webhookEvent.findMany({ where: { sessionId: session.id, eventId: { in: ids } } });
  const attempts = await prisma.webhookAttempt.findMany({ where: { sessionId: session.id, eventId: { in: ids } }, orderBy: { id: 'asc' } });
  return ids.map((id) => {
    const row = events.find((e) => e.eventId === id);
    assert.ok(row, `event ${id} is stored`);
    return { column: row.attempts, rows: attempts.filter((a) => a.eventId === id).map((a) => a.attempt), status: row.status };
  });
}

/** Claims the session's queue until a claim takes something (the lease of the last one ran out). */
async function claimWhenDue(session: WebhookSession, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
  let claimed: ClaimedEvent[] = [];
  await eventually('a claim once the lease ran out', async () => {
    claimed = await webhookEventRepository.claimBatch(session.id, limit, leaseMs, MAX_AGE_SECONDS);
    return claimed.length > 0;
  });
  return claimed;
}

function failedAttempt(event: ClaimedEvent): NewWebhookAttempt {
  return { sessionId: event.sessionId, eventId: event.eventId, attempt: event.attempts, startedAt: Date.now(), durationMs: 1, statusCode: 503, error: 'HTTP 503', responseBody: 'nope', signature: null, format: 'json' };
}

test("the worker: a batch whose head fails releases the rest unattempted, and every event's attempt count matches the attempts it made", async () => {
  const session = await newSession('head-fails');
  receiver.respond('/head-fails', (_req, nth) => (nth < 2 ? 503 : 200)); // the head fails twice, then everything is taken
  await setHook(session, { WebhookURL: receiver.url('/head-fails') });
  const ids = await writeEvents(session, 4);
  await receiver.waitFor('the 4 events delivered', () => receiver.accepted('/head-fails').length >= 4, 20_000);
  await eventually('every result written', async () => (await countsOf(session, ids)).every((c) => c.status === 'delivered'));

  const sent = receiver.forPath('/head-fails').map((r) => ({ eventId: r.eventId, attempt: r.headers['x-wago-attempt'] }));
  assert.deepEqual(
    sent,
    [...[1, 2, 3].map((n) => ({ eventId: ids[0], attempt: String(n) })), ...ids.slice(1).map((eventId) => ({ eventId, attempt: '1' }))],
    'the head is sent as attempts 1, 2, 3; the events behind it, released twice unsent, are each sent once as attempt 1',
  );
  assert.deepEqual(await countsOf(session, ids), [
    { column: 3, rows: [1, 2, 3], status: 'delivered' },
    ...ids.slice(1).map(() => ({ column: 1, rows: [1], status: 'delivered' })),
  ]);
});

test('a batch claimed and dropped without a result (a crash) is claimed again with every attempt counted: each says attempt 2', async () => {
  await webhookPipelineOf(env.wago.runtime)!.worker.stop(); // the claims below are the only ones
  const session = await newSession('crash');
  const ids = await writeEvents(session, 5);

  const first = await webhookEventRepository.claimBatch(session.id, 10, 50, MAX_AGE_SECONDS);
  assert.deepEqual(first.map((e) => e.eventId), ids, 'the head and the events behind it, in order');
  assert.deepEqual(first.map((e) => e.attempts), [1, 1, 1, 1, 1]);
  assert.deepEqual((await countsOf(session, ids)).map((c) => c.column), [1, 1, 1, 1, 1], 'the claim counted every leased event');

  // "Crash": the claims are dropped (maybe sent, no result written); the 50 ms lease runs out.
  const second = await claimWhenDue(session, 10, 60_000);
  assert.deepEqual(second.map((e) => e.eventId), ids);
  assert.deepEqual(second.map((e) => e.attempts), [2, 2, 2, 2, 2], 'every repeat is a further attempt, not only the head');

  // The first claimant comes back late: its fences are stale, so it neither releases nor marks anything.
  const stale = await webhookEventRepository.settle(session.id, [], [], { kind: 'release', rows: first });
  assert.equal(stale.marked, 0);
  const late = await webhookEventRepository.settle(
    session.id,
    [],
    first.map((e) => ({ seq: e.seq, fence: e.fence, statusCode: 200, at: Date.now() })),
    { kind: 'none' },
  );
  assert.equal(late.marked, 0, 'a lost lease marks nothing delivered');
  assert.deepEqual(
    (await countsOf(session, ids)).map((c) => [c.column, c.status]),
    ids.map(() => [2, 'pending']),
    'the new claim keeps its lease and counts',
  );
  assert.deepEqual(await webhookEventRepository.claimBatch(session.id, 10, 60_000, MAX_AGE_SECONDS), [], 'the queue is still leased');

  const done = await webhookEventRepository.settle(
    session.id,
    [],
    second.map((e) => ({ seq: e.seq, fence: e.fence, statusCode: 200, at: Date.now() })),
    { kind: 'none' },
  );
  assert.equal(done.marked, 5);
  assert.deepEqual((await countsOf(session, ids)).map((c) => [c.column, c.status]), ids.map(() => [2, 'delivered']));
});

test('a batch whose head fails releases the rest with their attempt counts unchanged', async () => {
  await webhookPipelineOf(env.wago.runtime)!.worker.stop();
  const session = await newSession('release');
  const ids = await writeEvents(session, 4);

  const batch = await webhookEventRepository.claimBatch(session.id, 10, 60_000, MAX_AGE_SECONDS);
  assert.deepEqual(batch.map((e) => e.attempts), [1, 1, 1, 1]);
  const [head, ...rest] = batch;
  assert.equal(await webhookEventRepository.markRetry(head!, { statusCode: 503, error: 'HTTP 503' }, 60_000), true);
  const released = await webhookEventRepository.settle(session.id, [failedAttempt(head!)], [], { kind: 'release', rows: rest });
  assert.equal(released.marked, 0);
  assert.deepEqual(await countsOf(session, ids), [
    { column: 1, rows: [1], status: 'pending' },
    ...rest.map(() => ({ column: 0, rows: [], status: 'pending' })),
  ], 'the head counts its one attempt; the rest are back at 0, with no attempt rows');

  // The head's retry comes due: the next claim's attempt numbers follow on from the counts kept.
  await env.wago.runtime.prisma.webhookEvent.update({ where: { seq: head!.seq }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
  const again = await webhookEventRepository.claimBatch(session.id, 10, 60_000, MAX_AGE_SECONDS);
  assert.deepEqual(again.map((e) => [e.eventId, e.attempts]), [[ids[0], 2], ...ids.slice(1).map((id) => [id, 1])]);
});

test('a renewed lease keeps the counts; a renewal with stale fences is left alone', async () => {
  await webhookPipelineOf(env.wago.runtime)!.worker.stop();
  const session = await newSession('renew');
  const ids = await writeEvents(session, 3);
  const first = await webhookEventRepository.claimBatch(session.id, 10, 50, MAX_AGE_SECONDS);
  const second = await claimWhenDue(session, 10, 60_000);
  await webhookEventRepository.settle(session.id, [], [], { kind: 'renew', rows: first, leaseMs: 1 });
  assert.deepEqual(await webhookEventRepository.claimBatch(session.id, 10, 60_000, MAX_AGE_SECONDS), [], 'the stale renewal did not shorten the live lease');
  await webhookEventRepository.settle(session.id, [], [], { kind: 'renew', rows: second, leaseMs: 120_000 });
  assert.deepEqual((await countsOf(session, ids)).map((c) => c.column), [2, 2, 2]);
});
