import type { Logger } from '../logger';
import { messageRepository } from '../repositories/message.repository';

const HOUR = 3_600_000;

/** Deletes stored messages older than WAGO_MESSAGE_RETENTION_DAYS, hourly (0 keeps them forever). */
export function startMessageRetention(days: number, logger: Logger): { stop(): void } {
  if (days <= 0) return { stop: () => {} };
  const log = logger.child({ component: 'message-retention' });
  const sweep = () => {
    const cutoff = new Date(Date.now() - days * 24 * HOUR);
    messageRepository.deleteOlderThan(cutoff).then(
      (deleted) => {
        if (deleted) log.info({ deleted, cutoff }, 'deleted messages past retention');
      },
      (error: unknown) => log.error({ err: error }, 'message retention sweep failed'),
    );
  };
  const first = setTimeout(sweep, 60_000);
  const timer = setInterval(sweep, HOUR);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
