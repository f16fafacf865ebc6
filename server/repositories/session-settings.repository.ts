import { getRuntime } from '../runtime/registry';

/** The per-session behaviour switches kept on the `sessions` row. */
export interface SessionSettingsRow {
  rejectCalls: boolean;
  rejectCallMessage: string | null;
  ignoreGroups: boolean;
  ignoreStatus: boolean;
  alwaysOnline: boolean;
  readOnReceipt: boolean;
}

const SELECT = { rejectCalls: true, rejectCallMessage: true, ignoreGroups: true, ignoreStatus: true, alwaysOnline: true, readOnReceipt: true } as const;

const db = () => getRuntime().prisma;

/** Reads and writes a session's settings columns. */
export const sessionSettingsRepository = {
  find(sessionId: string): Promise<SessionSettingsRow | null> {
    return db().session.findUnique({ where: { id: sessionId }, select: SELECT });
  },
  /** Applies a partial change; null when the session is gone. */
  async update(sessionId: string, patch: Partial<SessionSettingsRow>): Promise<SessionSettingsRow | null> {
    const result = await db().session.updateManyAndReturn({ where: { id: sessionId }, data: patch, select: SELECT });
    return result[0] ?? null;
  },
};
