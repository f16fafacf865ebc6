import { getRuntime } from '../runtime/registry';
import type { Prisma } from '../generated/prisma/client';

const db = () => getRuntime().prisma;

/** One state a call went through. */
export interface CallHistoryEntry {
  state: string;
  at: string;
  /** Who caused it: `peer`, `gateway` (this session through the API), `whatsapp` or `other-device`. */
  by: string;
}

export interface CallRow {
  sessionId: string;
  callId: string;
  creator: string;
  peerJid: string | null;
  peerLid: string | null;
  direction: 'incoming' | 'outgoing';
  isVideo: boolean;
  isGroup: boolean;
  groupJid: string | null;
  state: string;
  history: CallHistoryEntry[];
  endReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

type Stored = Awaited<ReturnType<ReturnType<typeof db>['call']['findFirst']>>;

function toRow(row: NonNullable<Stored>): CallRow {
  return {
    sessionId: row.sessionId,
    callId: row.callId,
    creator: row.creator,
    peerJid: row.peerJid,
    peerLid: row.peerLid,
    direction: row.direction === 'outgoing' ? 'outgoing' : 'incoming',
    isVideo: row.isVideo,
    isGroup: row.isGroup,
    groupJid: row.groupJid,
    state: row.state,
    history: Array.isArray(row.history) ? (row.history as unknown as CallHistoryEntry[]) : [],
    endReason: row.endReason,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
  };
}

/** Call history (PostgreSQL): one row per call, written at every change of state. */
export const callRepository = {
  async save(call: CallRow): Promise<void> {
    const data = {
      creator: call.creator,
      peerJid: call.peerJid,
      peerLid: call.peerLid,
      direction: call.direction,
      isVideo: call.isVideo,
      isGroup: call.isGroup,
      groupJid: call.groupJid,
      state: call.state,
      history: call.history as unknown as Prisma.InputJsonValue,
      endReason: call.endReason,
      startedAt: call.startedAt,
      endedAt: call.endedAt,
    };
    await db().call.upsert({
      where: { sessionId_callId: { sessionId: call.sessionId, callId: call.callId } },
      create: { sessionId: call.sessionId, callId: call.callId, ...data },
      update: data,
    });
  },

  async find(sessionId: string, callId: string): Promise<CallRow | undefined> {
    const row = await db().call.findUnique({ where: { sessionId_callId: { sessionId, callId } } });
    return row ? toRow(row) : undefined;
  },

  /** The session's calls, newest first. */
  async list(sessionId: string, limit = 50): Promise<CallRow[]> {
    const rows = await db().call.findMany({ where: { sessionId }, orderBy: { startedAt: 'desc' }, take: limit });
    return rows.map(toRow);
  },

  /**
   * Calls a previous run of this session left open (the process stopped mid-call): their signalling
   * and media are gone, so they are closed as ended, with the reason. Returns how many.
   */
  async closeLeftOpen(sessionId: string, openStates: readonly string[], reason: string, at: Date): Promise<number> {
    const open = await db().call.findMany({ where: { sessionId, state: { in: [...openStates] } } });
    for (const row of open) {
      const history = [...toRow(row).history, { state: 'ended', at: at.toISOString(), by: 'gateway' }];
      await db().call.update({ where: { id: row.id }, data: { state: 'ended', endReason: reason, endedAt: at, history: history as unknown as Prisma.InputJsonValue } });
    }
    return open.length;
  },
};
