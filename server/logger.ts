import pino, { type Logger } from 'pino';

export type { Logger };

/** The process logger. Child loggers carry a `component` (and per request a `reqId`). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
