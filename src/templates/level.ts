/**
 * Whether a record looks like an error or a warning: from the level field of a JSON event when it
 * has one (pino/bunyan numbers, ECS `log.level`, OTel `severityText`/`severityNumber`, Serilog
 * `@l`, log4j2 `level`, Python `levelname`), else from the words of the message (`ERROR`,
 * `WARN`, `Exception`, `Traceback`, `panic:`…). Only records judged error or warn feed the
 * unknown-error templates: an INFO line is not an error the KB is missing.
 */
export type Severity = 'error' | 'warn' | 'other';

const LEVEL_FIELDS = ['level', 'severity', 'severityText', 'severity_text', 'levelname', 'lvl', 'loglevel', '@l', 'Level', 'log.level'];

const ERROR_WORDS = new Set(['error', 'err', 'fatal', 'critical', 'crit', 'crash', 'alert', 'emerg', 'emergency', 'severe', 'panic', 'e', 'f', 'c']);
const WARN_WORDS = new Set(['warn', 'warning', 'w']);

/** Level words in text, upper case as loggers print them, or the marks of a failure. */
const TEXT_ERROR = /\b(?:ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|PANIC|EMERG|ALERT)\b|\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\b|^Traceback \(most recent call last\)|\bpanic: |\bfailed\b|\bfailure\b/;
const TEXT_WARN = /\b(?:WARN|WARNING)\b/;

export function severityOf(event: Record<string, unknown>, text: string): Severity {
  const fromField = severityFromFields(event);
  if (fromField !== undefined) return fromField;
  // The first line carries the level; stack frames below it say nothing more.
  const nl = text.indexOf('\n');
  const head = nl < 0 ? text : text.slice(0, nl);
  if (TEXT_ERROR.test(head)) return 'error';
  if (TEXT_WARN.test(head)) return 'warn';
  return 'other';
}

function severityFromFields(event: Record<string, unknown>): Severity | undefined {
  for (const f of LEVEL_FIELDS) {
    let v = event[f];
    if (v === undefined && f === 'log.level') v = (event.log as Record<string, unknown> | undefined)?.level;
    if (v === undefined) continue;
    if (typeof v === 'number') return numericSeverity(v, f);
    if (typeof v === 'string') {
      const w = v.trim().toLowerCase();
      if (ERROR_WORDS.has(w)) return 'error';
      if (WARN_WORDS.has(w)) return 'warn';
      return 'other';
    }
  }
  const sn = event.severityNumber ?? event.severity_number;
  if (typeof sn === 'number') return sn >= 17 ? 'error' : sn >= 13 ? 'warn' : 'other';
  return undefined;
}

/** pino/bunyan: 50 error, 60 fatal, 40 warn; syslog: 0-3 error, 4 warn. */
function numericSeverity(v: number, field: string): Severity {
  if (v >= 10) return v >= 50 ? 'error' : v >= 40 ? 'warn' : 'other';
  if (field === 'severity' || field === 'level') return v <= 3 ? 'error' : v === 4 ? 'warn' : 'other';
  return 'other';
}
