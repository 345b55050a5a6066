import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One pino logger for the process, JSON on stderr so that `scan` can keep stdout for tagged
 * events. Secrets never reach it: config is logged through `redact`.
 */
export function createLogger(level = 'info', name = 'faultline'): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['config.saslPassword', '*.saslPassword'], censor: '<hidden>' },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 2, sync: false }),
  );
}
