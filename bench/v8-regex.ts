/**
 * The nearest V8 RegExp to an RE2 pattern, for the rule-by-rule V8 baseline only: a leading
 * (?i)/(?s) becomes a flag, RE2-only spellings (\z, \A, (?P<name>, \Q…\E) are rewritten. Inline
 * flag groups elsewhere have no V8 equivalent on Node 20: those patterns are skipped (counted).
 */
export function toV8RegExp(re2: string): RegExp | null {
  let source = re2;
  let flags = '';
  const leading = /^\(\?([ims]+)\)/.exec(source);
  if (leading) {
    flags = (leading[1] as string).replace(/m/g, '') + ((leading[1] as string).includes('m') ? 'm' : '');
    source = source.slice(leading[0].length);
  }
  if (/\(\?[imsU-]+[:)]/.test(source)) return null;
  source = source
    .replace(/\\Q(.*?)(\\E|$)/gs, (_, text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  for (const extra of ['u', '']) {
    try {
      return new RegExp(source, [...new Set(flags + extra)].join(''));
    } catch {
      // try without the u flag: it rejects escapes like "\-" that RE2 and sloppy mode accept
    }
  }
  return null;
}
