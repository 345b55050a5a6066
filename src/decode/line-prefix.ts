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

/** Syslog/journald (group 1: host and program, the head without its time), compose, kubectl, a quote. */
const PREFIX_SOURCE = String.raw`(?:(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?=\S)([\w.-]+ [\w./-]+(?:\[\d+\])?: )|[\w.-]+\s+\| |\[pod\/[^\]\s]+\] |(?:> ?)+)`;
const PREFIX = new RegExp(`^${PREFIX_SOURCE}`);
/** A prefix at the start of any line of a text (global: reset lastIndex, or use with rewriteView). */
export const PREFIX_EVERY_LINE = new RegExp(`(?<=^|\n)${PREFIX_SOURCE}`, 'g');
const CHEAP = /^[\w.<[>-]/;

/** The prefix `m` (a match of PREFIX or PREFIX_EVERY_LINE) is, told by what lines of one output share. */
export function prefixOf(m: RegExpExecArray): LinePrefix {
  const syslog = m[1];
  return syslog === undefined ? { length: m[0].length, id: m[0], strict: false } : { length: m[0].length, id: syslog, strict: true };
}

export function linePrefix(line: Buffer | string): LinePrefix | undefined {
  const head = lineHead(line);
  if (!CHEAP.test(head)) return undefined;
  const m = PREFIX.exec(head);
  return m === null ? undefined : prefixOf(m);
}
