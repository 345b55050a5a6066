/**
 * A record's text with the spacing inside its lines made single: a tab between two words
 * (`java.net.SocketException:\tToo many open files`, a TSV-like logger, a pasted table) and a
 * run of spaces or tabs (`Too  many open files`, an aligned column, a justified paragraph, a
 * ticket retyped by hand) read as one space, the way the format string printed them. Rules are
 * written from the format strings, whose words one space separates. Indentation is left as it is
 * (a stack frame's `\tat` and a wrap's hanging indent are read by the joined views).
 *
 * Only a text that holds a tab or two spaces between a visible character and a letter gets this
 * view, so the cost (one more match of the bank, two when the record is also joined) is paid by
 * those records alone. The alignment that loggers put into nearly every line of a head is not
 * enough to get it: a padded level (log4j's `INFO  [main]`, `WARN  org.x`) and a padded day or
 * number (syslog's `Dec  4`, logcat's `1702  2395`). On the 32,000 loghub lines that takes the
 * records that pay from 30 % to 11 %; the view, once taken, makes every run in the text single.
 */
import { rewriteView, type TextView } from './text-view.js';

/** A level word a logger pads to a column (`INFO  `, `[WARN]  `), ending where its padding starts. */
const PADDED_LEVEL_END =
  /(?:^|[\s[|])(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|CRIT|SEVERE|FINE|FINER|FINEST|CONFIG|ALERT|EMERG|ERR|info|warn|error|debug|trace|fatal)\]?$/;
/** A tab, or a run of two or more spaces and tabs, after a visible character and before a letter. */
const RUN_BEFORE_LETTER = /[^\s](?:[ \t]{2,}|\t)(?=\p{L})/gu;

/** Whether the text holds spacing between words that is not a padded level's alignment. */
function hasWordSpacing(text: string): boolean {
  RUN_BEFORE_LETTER.lastIndex = 0;
  for (let m = RUN_BEFORE_LETTER.exec(text); m !== null; m = RUN_BEFORE_LETTER.exec(text)) {
    if (!PADDED_LEVEL_END.test(text.slice(Math.max(0, m.index - 8), m.index + 1))) return true;
  }
  return false;
}
const SPACING_ALL = /(?<=[^\s])(?:[ \t]{2,}|\t)/g;

/** The text with the spacing inside its lines made single, or undefined when it has none to make. */
export function spacingView(text: string): TextView | undefined {
  if (!hasWordSpacing(text)) return undefined;
  return rewriteView(text, SPACING_ALL, (m) => (m[0] === ' ' ? undefined : ' '));
}
