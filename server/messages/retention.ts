import type { Logger } from '../logger';
import { messageRepository } from '../repositories/message.repository';
import { startRetentionSweep, type RunningSweep } from '../lib/retention-sweep';

/** Deletes stored messages older than WAGO_MESSAGE_RETENTION_DAYS, hourly (0 keeps them forever). */
export function startMessageRetention(days: number, logger: Logger): RunningSweep {
  return startRetentionSweep({ days, logger, component: 'message-retention', what: 'messages', deleteOlderThan: (cutoff) => messageRepository.deleteOlderThan(cutoff) });
}
