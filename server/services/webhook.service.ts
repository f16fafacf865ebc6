import { sessionRepository } from '../repositories/session.repository';
import { badRequest, notFound } from '../http/errors';

export interface WebhookSettings {
  WebhookURL: string;
  Events: string[];
}

/** Checks a webhook URL: http(s) only, no credentials in it. Empty string disables webhooks. */
export function normaliseWebhookUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest('WebhookURL: must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('WebhookURL: must use http or https');
  if (url.username || url.password) throw badRequest('WebhookURL: must not contain credentials');
  return url.toString();
}

export async function getWebhook(sessionId: string): Promise<WebhookSettings> {
  const row = await sessionRepository.findById(sessionId);
  if (!row) throw notFound('session not found');
  return { WebhookURL: row.webhookUrl ?? '', Events: row.events };
}

export async function setWebhook(sessionId: string, rawUrl: string): Promise<WebhookSettings> {
  const url = normaliseWebhookUrl(rawUrl);
  const row = await sessionRepository.updateWebhook(sessionId, url);
  return { WebhookURL: row.webhookUrl ?? '', Events: row.events };
}
