import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { signWebhook } from './signature';
import type { WebhookFormat } from './settings-cache';

/** An event as it leaves WaGo. */
export interface OutgoingEvent {
  eventId: string;
  sessionId: string;
  type: string;
  /** The stored WagoEvent JSON. */
  payload: unknown;
  attempt: number;
}

export interface DeliveryRequest {
  url: string;
  format: WebhookFormat;
  secret: string | null;
  userAgent: string;
  timeoutMs: number;
  /** Aborts the request (shutdown). */
  signal: AbortSignal;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'failed'; statusCode: number | null; error: string }
  /** Stopped by `signal` (shutdown): not a verdict on the receiver. */
  | { kind: 'aborted' };

/** What one attempt was, for the inspector: when, how long, the answer's start, the signature sent. */
export interface AttemptRecord {
  /** ms since the epoch; its seconds are the X-WaGo-Timestamp sent. */
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** The first RESPONSE_EXCERPT_BYTES of the answer's body (null when there was no answer). */
  responseBody: string | null;
  signature: string | null;
  format: WebhookFormat;
}

/** How much of a receiver's answer is kept with an attempt. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** The WagoEvent with its fields in their documented order (jsonb does not keep key order). */
export function eventJson(payload: unknown): string {
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const { id, type, sessionId, timestamp, data, ...rest } = payload as Record<string, unknown>;
    return JSON.stringify({ id, type, sessionId, timestamp, data, ...rest });
  }
  return JSON.stringify(payload);
}

/**
 * The raw body and its content type. `json`: the WagoEvent. `form` (legacy): form fields `token`
 * (the session id: WaGo never stores session tokens) and `jsonData` (the WagoEvent JSON).
 */
export function buildBody(event: Pick<OutgoingEvent, 'sessionId' | 'payload'>, format: WebhookFormat): { body: string; contentType: string } {
  const json = eventJson(event.payload);
  if (format === 'form') {
    return { body: new URLSearchParams({ token: event.sessionId, jsonData: json }).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: json, contentType: 'application/json' };
}

/** The headers of an attempt; `signature` (when the session has a secret) is computed by the caller. */
export function attemptHeaders(event: Omit<OutgoingEvent, 'payload'>, userAgent: string, contentType: string, timestamp: number, signature: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': userAgent,
    'x-wago-event-id': event.eventId,
    'x-wago-event-type': event.type,
    'x-wago-session-id': event.sessionId,
    'x-wago-attempt': String(event.attempt),
    'x-wago-timestamp': String(timestamp),
  };
  if (signature) headers['x-wago-signature'] = signature;
  return headers;
}

export function buildHeaders(event: OutgoingEvent, req: Pick<DeliveryRequest, 'secret' | 'userAgent'>, contentType: string, body: string, timestamp: number): Record<string, string> {
  return attemptHeaders(event, req.userAgent, contentType, timestamp, req.secret ? signWebhook(req.secret, timestamp, body) : null);
}

// Keep-alive connections per origin, reused across events and sessions (a new TCP connection per
// delivery cost more than the delivery).
const httpAgent = new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256, maxFreeSockets: 256, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256, maxFreeSockets: 256, scheduling: 'lifo' });

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const code = (error as Error & { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message}: ${code}` : error.message;
  }
  return String(error);
}

interface Answer {
  status: number;
  excerpt: string;
}

/** POSTs `body` and reads the answer to its end (so the connection is reused), keeping its first KB. */
function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: https ? httpsAgent : httpAgent,
      signal,
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError('timed out')), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const kept: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_EXCERPT_BYTES) kept.push(chunk.subarray(0, RESPONSE_EXCERPT_BYTES - size));
        size += chunk.length;
      });
      res.once('error', fail);
      res.once('close', () => {
        if (!res.complete) fail(new Error('the answer was cut short'));
      });
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(kept).toString('utf8') });
      });
    });
    req.end(body);
  });
}

/** POSTs one event. 2xx = delivered; any other status, a timeout or a network error = failed. */
export async function deliverEvent(event: OutgoingEvent, req: DeliveryRequest): Promise<{ outcome: DeliveryOutcome; record: AttemptRecord }> {
  const { body, contentType } = buildBody(event, req.format);
  const startedAt = Date.now();
  const timestamp = Math.floor(startedAt / 1000);
  const signature = req.secret ? signWebhook(req.secret, timestamp, body) : null;
  const headers = attemptHeaders(event, req.userAgent, contentType, timestamp, signature);
  const begun = performance.now();
  const record = (statusCode: number | null, error: string | null, responseBody: string | null): AttemptRecord => ({
    startedAt,
    durationMs: Math.round(performance.now() - begun),
    statusCode,
    error,
    responseBody,
    signature,
    format: req.format,
  });
  let answer: Answer;
  try {
    answer = await post(new URL(req.url), headers, body, req.timeoutMs, req.signal);
  } catch (error) {
    if (req.signal.aborted) return { outcome: { kind: 'aborted' }, record: record(null, 'interrupted by shutdown', null) };
    const message = describe(error);
    return { outcome: { kind: 'failed', statusCode: null, error: message }, record: record(null, message, null) };
  }
  if (answer.status >= 200 && answer.status < 300) return { outcome: { kind: 'delivered', statusCode: answer.status }, record: record(answer.status, null, answer.excerpt) };
  const snippet = answer.excerpt.replace(/\s+/g, ' ').trim().slice(0, 200);
  const error = `HTTP ${answer.status}${snippet ? `: ${snippet}` : ''}`;
  return { outcome: { kind: 'failed', statusCode: answer.status, error }, record: record(answer.status, error, answer.excerpt) };
}
