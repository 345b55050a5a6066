/**
 * A record's text without the prefix a collector or a viewer put on each of its lines (docker
 * compose's `svc_1  | `, `kubectl logs --prefix`'s `[pod/…] `, a `> ` quote, a syslog or journald
 * head: src/decode/line-prefix.ts). scan's reader keeps such lines together when they are one
 * stack trace; here they read as the program printed them, so a rule that needs a frame on the
 * line below its message (`\n\s+at java.net.…`) or the start of a line (`(?m)^…`) sees it.
 *
 * Only a record of several lines whose first line has a prefix that a later line shares gets this
 * view, so the cost is paid by those records alone.
 */
import { linePrefix, PREFIX_EVERY_LINE, prefixOf } from '../decode/line-prefix.js';
import { rewriteView, type TextView } from './text-view.js';

/** The text without its lines' shared prefix, or undefined when no two of its lines share one. */
export function prefixView(text: string): TextView | undefined {
  if (text.indexOf('\n') < 0) return undefined;
  const first = linePrefix(text);
  if (first === undefined) return undefined;
  let shared = false;
  const view = rewriteView(text, PREFIX_EVERY_LINE, (m) => {
    if (prefixOf(m).id !== first.id) return undefined;
    if (m.index > 0) shared = true;
    return '';
  });
  return shared ? view : undefined;
}
