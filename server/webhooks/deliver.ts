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
export function buildBody(event: OutgoingEvent, format: WebhookFormat): { body: string; contentType: string } {
  const json = eventJson(event.payload);
  if (format === 'form') {
    return { body: new URLSearchParams({ token: event.sessionId, jsonData: json }).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: json, contentType: 'application/json' };
}

export function buildHeaders(event: OutgoingEvent, req: Pick<DeliveryRequest, 'secret' | 'userAgent'>, contentType: string, body: string, timestamp: number): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': req.userAgent,
    'x-wago-event-id': event.eventId,
    'x-wago-event-type': event.type,
    'x-wago-session-id': event.sessionId,
    'x-wago-attempt': String(event.attempt),
    'x-wago-timestamp': String(timestamp),
  };
  if (req.secret) headers['x-wago-signature'] = signWebhook(req.secret, timestamp, body);
  return headers;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return detail ? `${error.message}: ${detail}` : error.message;
  }
  return String(error);
}

/** POSTs one event. 2xx = delivered; any other status, a timeout or a network error = failed. */
export async function deliverEvent(event: OutgoingEvent, req: DeliveryRequest): Promise<DeliveryOutcome> {
  const { body, contentType } = buildBody(event, req.format);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = buildHeaders(event, req, contentType, body, timestamp);
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(req.url, { method: 'POST', headers, body, redirect: 'manual', signal });
  } catch (error) {
    if (req.signal.aborted) return { kind: 'aborted' };
    return { kind: 'failed', statusCode: null, error: describe(error) };
  }
  const delivered = response.status >= 200 && response.status < 300;
  let text = '';
  try {
    text = await response.text(); // read to the end so the connection can be reused
  } catch (error) {
    // The status line decides; a body cut short only matters for the error message.
    if (!delivered && req.signal.aborted) return { kind: 'aborted' };
    text = `(answer body unreadable: ${describe(error)})`;
  }
  if (delivered) return { kind: 'delivered', statusCode: response.status };
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { kind: 'failed', statusCode: response.status, error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}` };
}
