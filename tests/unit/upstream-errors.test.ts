import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamError } from '../../server/http/errors';

/** An error shaped as Baileys throws them (a Boom). */
const boom = (message: string, extra: { data?: unknown; statusCode?: number }) =>
  Object.assign(new Error(message), { isBoom: true, data: extra.data, output: { statusCode: extra.statusCode ?? 500 } });

test('WhatsApp client errors become 502/503/504 answers naming what happened; anything else stays a 500', () => {
  const refused = upstreamError(boom('item-not-found', { data: 404 }));
  assert.equal(refused?.status, 502);
  assert.equal(refused?.message, 'WhatsApp refused the request: item-not-found (404)');
  assert.equal(upstreamError(boom('Timed Out', { statusCode: 408 }))?.status, 504);
  assert.equal(upstreamError(boom('Connection Closed', { statusCode: 428 }))?.status, 503);
  assert.equal(upstreamError(boom('bug', {})), undefined, 'a Boom without a WhatsApp answer is our fault');
  assert.equal(upstreamError(new Error('plain')), undefined);
  assert.equal(upstreamError('string'), undefined);
  assert.equal(upstreamError(null), undefined);
});
