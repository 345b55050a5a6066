/**
 * A text made from a record's text by rewriting parts of it (line breaks joined, escapes
 * undone), with the way back: a match found in the view is reported at the span of the text it
 * came from. Used by the match stage's readings of a record (record-text.ts).
 */
export interface TextView {
  text: string;
  /** The offset in the original text of an offset in the view (a replacement maps to where its original began). */
  original(offset: number): number;
}

/**
 * `text` with each match of `pattern` (global) replaced by what `replace` returns for it (undefined:
 * left as it is), and the way back to its offsets.
 */
export function rewriteView(text: string, pattern: RegExp, replace: (m: RegExpExecArray) => string | undefined): TextView {
  // Piece k of the view starts at viewStarts[k] and was copied from origStarts[k]; odd pieces are replacements.
  const viewStarts: number[] = [0];
  const origStarts: number[] = [0];
  let out = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const by = replace(m);
    if (by === undefined) continue;
    out += text.slice(last, m.index);
    viewStarts.push(out.length);
    origStarts.push(m.index);
    out += by;
    last = m.index + m[0].length;
    viewStarts.push(out.length);
    origStarts.push(last);
  }
  out += text.slice(last);
  return {
    text: out,
    original(offset: number): number {
      let lo = 0;
      let hi = viewStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((viewStarts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const isReplacement = lo % 2 === 1;
      const base = origStarts[lo] as number;
      return isReplacement ? base : Math.min(base + (offset - (viewStarts[lo] as number)), text.length);
    },
  };
}

/** A view of a view, mapped back to the first one's original. */
export function composeViews(outer: TextView, inner: TextView): TextView {
  return { text: inner.text, original: (offset) => outer.original(inner.original(offset)) };
}
