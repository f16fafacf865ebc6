/** An error whose message is safe to show the caller, with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Sent as `Retry-After` (seconds): when the call can succeed if tried again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The session has no connected socket in this process: 409 unless it only waits (see session-availability). */
export class NotConnectedError extends ApiError {
  constructor() {
    super(409, 'session is not connected: POST /session/connect first');
    this.name = 'NotConnectedError';
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const unauthorized = (message: string) => new ApiError(401, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const unavailable = (message: string, retryAfterSeconds: number) => new ApiError(503, message, Math.max(1, Math.ceil(retryAfterSeconds)));

/** The code WhatsApp answered an iq with, from a Baileys error (Baileys keeps it in `data`; its Boom status stays 500). */
export function whatsAppErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  return typeof data === 'number' && Number.isInteger(data) ? data : undefined;
}

/**
 * What the caller should hear when the WhatsApp client failed: WhatsApp's own answer (an iq
 * error, whose code Baileys keeps in the error's `data`) is a 502 naming it; no answer in time
 * a 504; a connection that closed under the request a 503. Undefined for anything else (a
 * WaGo fault: 500).
 */
export function upstreamError(error: unknown): ApiError | undefined {
  if (typeof error !== 'object' || error === null || !(error as { isBoom?: unknown }).isBoom) return undefined;
  const { message, output } = error as { message?: unknown; output?: { statusCode?: unknown } };
  const text = typeof message === 'string' && message ? message : 'error';
  const code = whatsAppErrorCode(error);
  if (code !== undefined) return new ApiError(502, `WhatsApp refused the request: ${text} (${code})`);
  const status = output?.statusCode;
  if (status === 408) return new ApiError(504, `WhatsApp did not answer in time: ${text}`);
  if (status === 428) return new ApiError(503, `the WhatsApp connection closed during the request: ${text}`);
  return undefined;
}
