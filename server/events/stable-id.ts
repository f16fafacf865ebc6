import { createHash } from 'node:crypto';

/**
 * An event id derived from what the event is about (a UUID in the version-5 layout, from SHA-256):
 * the same WhatsApp message delivered twice to a session is one event, written to the webhook
 * outbox once and sent under the same `X-WaGo-Event-Id` however often it arrives.
 */
export function stableEventId(sessionId: string, type: string, subject: string): string {
  const bytes = createHash('sha256').update(`${sessionId}\u0000${type}\u0000${subject}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
