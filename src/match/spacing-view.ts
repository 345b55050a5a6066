/**
 * A record's text with the spacing inside its lines made single: a tab between two words
 * (`java.net.SocketException:\tToo many open files`, a TSV-like logger, a pasted table) and a
 * run of spaces or tabs (`Too  many open files`, an aligned column, a justified paragraph, a
 * ticket retyped by hand) read as one space, the way the format string printed them. Rules are
 * written from the format strings, whose words one space separates. Indentation is left as it is
 * (a stack frame's `\tat` and a wrap's hanging indent are read by the joined views).
 *
 * Only a text that holds a tab or two spaces after a visible character gets this view, so the cost
 * is paid by those records alone (aligned logs such as log4j's padded `INFO  ` and syslog's
 * `Dec  4` among them: one more match of the bank per record, two when it is also joined).
 */
import { rewriteView, type TextView } from './text-view.js';

/** A tab, or a run of two or more spaces and tabs, after a visible character (not indentation). */
const SPACING = /(?<=[^\s])(?:[ \t]{2,}|\t)/;
const SPACING_ALL = /(?<=[^\s])(?:[ \t]{2,}|\t)/g;

/** The text with the spacing inside its lines made single, or undefined when it has none to make. */
export function spacingView(text: string): TextView | undefined {
  if (!SPACING.test(text)) return undefined;
  return rewriteView(text, SPACING_ALL, (m) => (m[0] === ' ' ? undefined : ' '));
}
