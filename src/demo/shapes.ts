import type { DemoService } from './services.js';

export type Level = 'info' | 'warn' | 'error';

/** What a service logs, before its logger gives it a shape. */
export interface LogEvent {
  level: Level;
  message: string;
  /** Exception text with its stack (several lines), carried in the logger's error field. */
  error?: string;
  /** Written as is by plain-text services (a line that already has its own format). */
  raw?: string;
}

const PINO_LEVEL: Record<Level, number> = { info: 30, warn: 40, error: 50 };
const SERILOG_LEVEL: Record<Level, string | undefined> = { info: undefined, warn: 'Warning', error: 'Error' };

/** "java.sql.SQLException: pool exhausted" -> type and message, for loggers that split them. */
function splitException(text: string): { type: string; message: string } {
  const first = text.split('\n', 1)[0] ?? '';
  const m = /^([\w.$]+(?:Exception|Error))(?::\s*(.*))?$/.exec(first.trim());
  return m ? { type: m[1] ?? 'Error', message: m[2] ?? '' } : { type: 'Error', message: first };
}

/**
 * The record value a service's logger would write for `event` at `time`: ECS JSON (Java
 * logback/log4j2 ECS encoders), pino (Node), Serilog compact JSON (.NET), zap JSON (Go), or plain
 * text. Plain-text records name no service: the producer sends it as a header, as log shippers do.
 */
export function formatRecord(service: DemoService, event: LogEvent, time: Date): string {
  const iso = time.toISOString();
  switch (service.shape) {
    case 'ecs': {
      const doc: Record<string, unknown> = {
        '@timestamp': iso,
        'log.level': event.level.toUpperCase(),
        message: event.message,
        'service.name': service.name,
        'event.dataset': `${service.name}.log`,
      };
      if (event.error !== undefined) doc.error = { ...splitException(event.error), stack_trace: event.error };
      return JSON.stringify(doc);
    }
    case 'pino': {
      const doc: Record<string, unknown> = {
        level: PINO_LEVEL[event.level],
        time: time.getTime(),
        pid: 1,
        hostname: `${service.name}-5f7c9d`,
        service: service.name,
        msg: event.message,
      };
      if (event.error !== undefined) doc.err = { ...splitException(event.error), stack: event.error };
      return JSON.stringify(doc);
    }
    case 'serilog': {
      const doc: Record<string, unknown> = { '@t': iso, '@mt': event.message };
      const level = SERILOG_LEVEL[event.level];
      if (level !== undefined) doc['@l'] = level;
      if (event.error !== undefined) doc['@x'] = event.error;
      doc.Application = service.name;
      return JSON.stringify(doc);
    }
    case 'zap': {
      const doc: Record<string, unknown> = {
        level: event.level,
        ts: time.getTime() / 1000,
        caller: `${service.name}/handler.go:142`,
        msg: event.message,
        service: service.name,
      };
      if (event.error !== undefined) doc.error = event.error;
      return JSON.stringify(doc);
    }
    case 'text': {
      if (event.raw !== undefined) return event.raw;
      const text = `${iso.replace('T', ' ').replace('Z', '')} ${event.level.toUpperCase().padEnd(5)} [${service.name}] ${event.message}`;
      return event.error === undefined ? text : `${text}\n${event.error}`;
    }
  }
}
