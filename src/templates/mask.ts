/**
 * Token masking: which tokens of a log message are variables. Generic rules only (no per-system
 * settings), after Drain (He et al., ICWS 2017) and the preprocessing the loghub benchmark uses:
 * numbers, ids, hex, IPs, paths, URLs and durations all carry a digit or a path/URL shape, so a
 * token is a variable when it carries a digit, or looks like a path, a URL or an e-mail address.
 * Variables are printed as WILDCARD.
 */
export const WILDCARD = '<*>';

const DIGIT = /[0-9]/;
/** Parts of printed dates: their values change from line to line whatever the message. */
const DATE_WORDS = new Set(
  'mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december am pm utc gmt'.split(' '),
);
/** host.domain.tld: two dots or more, lowercase labels, a short last label. */
const HOSTNAME = /^(?:[a-z0-9-]+\.){2,}[a-z]{2,3}\.?$/;

/** True when the token is a variable of its message. */
export function isVariable(token: string): boolean {
  if (token === '' || DIGIT.test(token)) return true;
  if (token.length <= 9 && DATE_WORDS.has(token.toLowerCase())) return true;
  if (HOSTNAME.test(token)) return true;
  const c = token.charCodeAt(0);
  // Absolute paths and URLs: /var/log/x, file://…, C:\… (the drive letter has no digit).
  if (c === 0x2f /* / */ && token.indexOf('/', 1) > 0) return true;
  if (token.includes('://')) return true;
  if (token.length > 2 && token.charCodeAt(1) === 0x3a /* : */ && token.charCodeAt(2) === 0x5c /* \ */) return true;
  // user@host
  const at = token.indexOf('@');
  if (at > 0 && at < token.length - 1 && token.indexOf('.', at) > at) return true;
  return false;
}

/** The token as it appears in a template: itself, or WILDCARD. */
export function maskToken(token: string): string {
  return isVariable(token) ? WILDCARD : token;
}
