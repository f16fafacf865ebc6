import { getRuntime } from '../runtime/registry';
import { webhookEventRepository } from '../repositories/webhook-event.repository';
import { webhookAttemptRepository, type WebhookAttemptRow } from '../repositories/webhook-attempt.repository';
import { webhookSettingsRepository } from '../repositories/webhook-settings.repository';
import { notFound } from '../http/errors';
import { attemptHeaders, buildBody } from '../webhooks/deliver';
import { toDelivery, type WebhookDelivery } from './webhook.service';

/** Most attempts an inspection lists (the oldest ones first). */
export const INSPECT_MAX_ATTEMPTS = 100;

/** One attempt as the inspector shows it: the request as it was sent and what came back. */
export interface WebhookAttemptView {
  Attempt: number;
  StartedAt: string;
  DurationMs: number;
  StatusCode: number | null;
  Error: string | null;
  /** The first 1 KB of the receiver's answer. */
  ResponseBody: string | null;
  /** The request headers of this attempt (X-WaGo-Signature as sent; never the secret). */
  Headers: Record<string, string>;
}

/** A delivery with the body it is sent with and its attempts. */
export interface WebhookInspection {
  Delivery: WebhookDelivery;
  /** The body as the latest attempt sent it (or as the first one will, in the session's format). */
  Body: string;
  Attempts: WebhookAttemptView[];
}

function userAgent(): string {
  return `WaGo/${getRuntime().version}`;
}

/**
 * The headers an attempt carried, rebuilt from the stored event and the attempt's row: they are
 * fixed by the event, the attempt number, its start second (X-WaGo-Timestamp), its body format and
 * the signature it stored (the secret may have been rotated since, so it is not recomputed).
 */
export function attemptRequestHeaders(delivery: Pick<WebhookDelivery, 'EventId' | 'Type'>, sessionId: string, attempt: WebhookAttemptRow): Record<string, string> {
  const contentType = attempt.format === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return attemptHeaders(
    { eventId: delivery.EventId, sessionId, type: delivery.Type, attempt: attempt.attempt },
    userAgent(),
    contentType,
    Math.floor(attempt.startedAt.getTime() / 1000),
    attempt.signature,
  );
}

/** One stored event of the session with every recorded attempt, oldest first. 404 for an id it does not have. */
export async function inspectDelivery(sessionId: string, eventId: string): Promise<WebhookInspection> {
  const row = await webhookEventRepository.findForSession(sessionId, eventId);
  if (!row) throw notFound('EventId: this session has no stored event with this id');
  const delivery = toDelivery(row);
  const attempts = await webhookAttemptRepository.listForEvent(sessionId, eventId, INSPECT_MAX_ATTEMPTS);
  const last = attempts.at(-1);
  const format = (last ? last.format : (await webhookSettingsRepository.find(sessionId))?.webhookFormat) === 'form' ? 'form' : 'json';
  return {
    Delivery: delivery,
    Body: buildBody({ sessionId, payload: row.payload }, format).body,
    Attempts: attempts.map((a) => ({
      Attempt: a.attempt,
      StartedAt: a.startedAt.toISOString(),
      DurationMs: a.durationMs,
      StatusCode: a.statusCode,
      Error: a.error,
      ResponseBody: a.responseBody,
      Headers: attemptRequestHeaders(delivery, sessionId, a),
    })),
  };
}

/**
 * Which of `sessionIds` have a failing webhook: a pending event whose last attempt failed (status
 * `pending`, attempts > 0, last error set). For the sessions list's alert badge.
 */
export async function failingWebhookSessionIds(sessionIds: string[]): Promise<Set<string>> {
  return new Set(await webhookEventRepository.sessionsWithFailing(sessionIds));
}
