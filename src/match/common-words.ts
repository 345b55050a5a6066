/**
 * Words that occur in a large share of all log lines. An atom that is part of one of them (say
 * "error", "fail", "conn") is found in most records, so it is a poor trigger: the prefilter
 * prefers any other required atom of the same pattern (`NDK.*build.*failed` is woken by "ndk",
 * not "failed"). Only the choice of trigger depends on this list, never correctness.
 * Chosen from general log vocabulary (cross-checked against the loghub sample: each word is in
 * well over 1% of its lines), not from any one system's names.
 */
import { foldString } from './case-fold.js';

const COMMON_LOG_WORDS = [
  // severities
  'error', 'errors', 'failed', 'failure', 'fatal', 'exception', 'warning', 'info', 'debug', 'notice',
  'critical', 'severe', 'trace',
  // connections and network
  'connection', 'connected', 'disconnected', 'timeout', 'timed out', 'time', 'server', 'servers',
  'client', 'request', 'response', 'status', 'state', 'session', 'address', 'port', 'host', 'node',
  'http', 'https', 'network', 'socket', 'protocol', 'proxy', 'remote', 'local', 'received', 'receive',
  'sent', 'send', 'packet', 'channel', 'stream', 'transfer',
  // processes and resources
  'service', 'system', 'process', 'thread', 'memory', 'worker', 'executor', 'instance', 'container',
  'kernel', 'daemon', 'task', 'job', 'event', 'queue', 'pool', 'cache', 'block', 'buffer', 'lock',
  'limit', 'maximum', 'minimum', 'total', 'size', 'bytes', 'count', 'seconds', 'second', 'resource',
  'resources', 'allocator', 'allocation', 'allocated',
  // generic verbs and states
  'not found', 'found', 'unable', 'cannot', 'could not', 'invalid', 'denied', 'refused', 'detected',
  'update', 'updated', 'change', 'changed', 'start', 'started', 'starting', 'stop', 'stopped', 'open',
  'close', 'closed', 'read', 'write', 'running', 'initialized', 'loaded', 'loading', 'attempt',
  'retry', 'missing', 'expired', 'exceeded', 'killed', 'exit', 'terminating', 'complete', 'completed',
  'success', 'successful', 'available', 'unknown', 'default', 'enabled', 'disabled', 'required',
  // generic nouns
  'user', 'users', 'file', 'files', 'directory', 'path', 'data', 'value', 'name', 'type', 'version',
  'config', 'configuration', 'module', 'package', 'policy', 'permission', 'access', 'authentication',
  'password', 'security', 'certificate', 'token', 'command', 'message', 'result', 'input', 'output',
  'application', 'database', 'query', 'table', 'index', 'handler', 'manager', 'context', 'admin',
  'root', 'from', 'with', 'this', 'that', 'there', 'when', 'after', 'before', 'through', 'because',
];

let substrings: Set<string> | undefined;

/** Whether the folded atom is part of a common log word (and so is in many records). */
export function isCommonAtom(atom: string): boolean {
  if (substrings === undefined) {
    substrings = new Set();
    for (const word of COMMON_LOG_WORDS) {
      const w = foldString(word);
      for (let i = 0; i < w.length; i++) for (let j = i + 1; j <= w.length; j++) substrings.add(w.slice(i, j));
    }
  }
  return substrings.has(atom);
}

/** The most frequent letter pairs of English text (and so of log messages), upper-cased. */
const COMMON_PAIRS = new Set(
  (
    'TH HE IN ER AN RE ON AT EN ND TI ES OR TE OF ED IS IT AL AR ST TO NT NG SE HA AS OU IO LE ' +
    'VE CO ME DE HI RI RO IC NE EA RA CE LI CH LL BE MA SI OM UR CA EL TA LA NS DI FO HO PE EC ' +
    'PR NO CT US AC OT IL TR LY NC ET UT SS SO RS UN LO WA GE IE WH EE WI EM AD OL RT PO WE NA ' +
    'UL NI TS MO OW PA IM MI AI SH IR SU ID OS IV IA AM FI CI VI PL IG TU EV EX OP RM AP'
  ).split(' '),
);

/** Whether a folded two-character atom is in most records: a frequent letter pair, or two digits. */
export function isCommonPair(atom: string): boolean {
  return COMMON_PAIRS.has(atom) || /^[0-9]{2}$/.test(atom);
}
