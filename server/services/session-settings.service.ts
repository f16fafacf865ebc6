import { getRuntime } from '../runtime/registry';
import { sessionSettingsRepository, type SessionSettingsRow } from '../repositories/session-settings.repository';
import { notFound } from '../http/errors';

export type SessionSettings = SessionSettingsRow;

/** The settings as the REST API shows them (WaGo extension: PascalCase like the rest of the API). */
export interface SessionSettingsView {
  RejectCalls: boolean;
  RejectCallMessage: string | null;
  IgnoreGroups: boolean;
  IgnoreStatus: boolean;
  AlwaysOnline: boolean;
  ReadOnReceipt: boolean;
}

export const toSettingsView = (s: SessionSettings): SessionSettingsView => ({
  RejectCalls: s.rejectCalls,
  RejectCallMessage: s.rejectCallMessage,
  IgnoreGroups: s.ignoreGroups,
  IgnoreStatus: s.ignoreStatus,
  AlwaysOnline: s.alwaysOnline,
  ReadOnReceipt: s.readOnReceipt,
});

export async function getSessionSettings(sessionId: string): Promise<SessionSettings> {
  const row = await sessionSettingsRepository.find(sessionId);
  if (!row) throw notFound('session not found');
  return row;
}

/**
 * Changes some of a session's settings and applies them at once to its running connection in
 * this process (the REST route and the dashboard reach the process that runs the session).
 * An empty `rejectCallMessage` clears the message.
 */
export async function updateSessionSettings(sessionId: string, patch: Partial<SessionSettings>): Promise<SessionSettings> {
  const clean = { ...patch };
  if (clean.rejectCallMessage !== undefined) clean.rejectCallMessage = clean.rejectCallMessage?.trim() || null;
  const row = await sessionSettingsRepository.update(sessionId, clean);
  if (!row) throw notFound('session not found');
  await getRuntime().sessions.get(sessionId)?.applySettings(row);
  return row;
}
