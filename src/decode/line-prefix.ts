/**
 * The prefix that a collector or a viewer puts in front of every line a program printed: docker
 * compose's `svc_1  | `, `kubectl logs --prefix`'s `[pod/web-7d9f/app] `, a quote in a ticket or
 * a mail (`> `), a syslog or journald head (`Dec 04 18:40:01 host app[1234]: `, with or without
 * its `<PRI>`). A stack trace printed through one of them has it on each of its lines, so its
 * frames no longer look like frames; scan's reader (multiline.ts) reads the rest of such a line,
 * and the match stage reads the record without the prefixes (record-text.ts).
 */
import { lineHead } from './line-kind.js';

export interface LinePrefix {
  /** Its length in characters (in bytes for a Buffer line: the prefixes are ASCII). */
  length: number;
  /** What two lines must share to be lines of one program's output: the prefix, a syslog head without its time. */
  id: string;
  /**
   * A syslog head: consecutive lines of one program are often separate messages (the kernel's
   * indented tables among them), so only the lines of a stack trace join under it.
   */
  strict: boolean;
}

/**
 * Syslog/journald (group 1: host and program, the head without its time), a runner's or a
 * collector's stamp (group 2: Jenkins timestamper's `[2024-03-01T10:00:00.123Z] `, GitHub Actions'
 * `2024-03-01T10:00:00.1234567Z `, `kubectl logs --timestamps` and `docker logs --timestamps`'
 * RFC 3339 `…00.123456789Z `, GitLab's job-log stamp `…00.123456Z 00O ` / `01E+`), compose,
 * kubectl, a quote. A stamp needs its zone (`Z`, `+01:00`): a logger's own ISO time seldom has
 * the `T` and the zone together, and a stamp is strict like a syslog head (only a trace's lines
 * join under it), so a logger that does print one keeps its records apart.
 */
const PREFIX_SOURCE = String.raw`(?:(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?=\S)([\w.-]+ [\w./-]+(?:\[\d+\])?: )|(\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)\] |\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) (?:\d\d[OE](?:\+ ?| ))?)|[\w.-]+\s+\| |\[pod\/[^\]\s]+\] |(?:> ?)+)`;
const PREFIX = new RegExp(`^${PREFIX_SOURCE}`);
/** A prefix at the start of any line of a text (global: reset lastIndex, or use with rewriteView). */
export const PREFIX_EVERY_LINE = new RegExp(`(?<=^|\n)${PREFIX_SOURCE}`, 'g');
const CHEAP = /^[\w.<[>-]/;

/** The prefix `m` (a match of PREFIX or PREFIX_EVERY_LINE) is, told by what lines of one output share. */
export function prefixOf(m: RegExpExecArray): LinePrefix {
  const syslog = m[1];
  if (syslog !== undefined) return { length: m[0].length, id: syslog, strict: true };
  const stamp = m[2];
  // Every line has its own time: lines share the stamp's shape (digits of any count, either stream).
  if (stamp !== undefined) return { length: m[0].length, id: stampShape(stamp), strict: true };
  return { length: m[0].length, id: m[0], strict: false };
}

function stampShape(stamp: string): string {
  return stamp.replace(/\d+/g, '0').replace(/ 0[OE]\+? ?$/, ' 0S');
}

export function linePrefix(line: Buffer | string): LinePrefix | undefined {
  const head = lineHead(line);
  if (!CHEAP.test(head)) return undefined;
  const m = PREFIX.exec(head);
  return m === null ? undefined : prefixOf(m);
}
