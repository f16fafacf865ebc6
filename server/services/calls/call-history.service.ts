import { getRuntime } from '../../runtime/registry';
import { callRepository } from '../../repositories/call.repository';
import { mediaLegFor } from '../../calls/media-leg';
import { callView, type CallView } from './call-view';

/** The session's call history (newest first, from PostgreSQL): every call, open or over. */
export async function callHistory(sessionId: string, limit = 50): Promise<{ Calls: CallView[] }> {
  const leg = mediaLegFor(getRuntime().config);
  return { Calls: (await callRepository.list(sessionId, limit)).map((c) => callView(c, leg)) };
}
