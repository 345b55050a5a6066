/**
 * Every exception the KB gate (test/rules) makes, in one place, each with its reason. The lists
 * are exact: a test fails on a new case and also on an entry that no longer applies, so fixing a
 * rule means deleting its entry here, and nothing hides behind a stale one.
 */

/** Kept as the user gave it: no examples, no sources. */
export const SEED_RULE_ID = 'dotnet/httpclient-socket-connection-pool-exhausted';

/**
 * transition_graph `error_id`s allowed to name rules outside this repository (e.g. deadends.dev
 * ids, loaded with `--rules` from elsewhere). None today: every reference points into rules/.
 */
export const EXTERNAL_RULE_IDS: readonly string[] = [];

/**
 * Regexes that no match example of their rule exercises, as `rule-id#pattern` (0 is `regex`,
 * 1.. are `regex_variants`). Each needs a real log line, with its source, that the pattern
 * matches; until then the pattern is untested.
 */
export const UNEXERCISED_PATTERNS: readonly string[] = [
  'dotnet/socket-connection-refused-10061#2', // .NET Framework "… refused it 10.0.0.1:443"
  'dotnet/socket-connection-refused-10061#4', // Chinese Windows message
  'java/too-many-open-files#1', // FileNotFoundException: … (Too many open files)
  'java/too-many-open-files#2', // nio FileSystemException: …: Too many open files
  'java/too-many-open-files#3', // Netty native accept(..) failed: Too many open files
  'proxy/haproxy-queue-timeout#2', // JSON log format "termination_state": "sQ…"
  'python/connect-cannot-assign-requested-address#1', // aiohttp Cannot connect to host …
  'python/connect-cannot-assign-requested-address#4', // urllib urlopen error [Errno 99]
  'python/errno-24-too-many-open-files#1', // asyncio socket.accept() out of system resource
  'python/urllib3-connection-pool-full#1', // urllib3 block=True FullPoolError / EmptyPoolError
];

/**
 * Match examples, as `rule-id#match-index`, that match only as pasted: fed to `faultline scan`,
 * the LineJoiner cuts them into records none of which fires the rule. Each was quoted from an
 * issue in a shape real logs do not have; it needs the record as a log would hold it.
 */
export const JOINED_ONLY_EXAMPLES: readonly string[] = [
  // Markdown of a GitHub issue template ("**Exception message**: …" / "**StackTrace:**"): the
  // message and the ConnectHelper frame land in different records.
  'dotnet/socket-eaddrnotavail-on-connect#2',
  // A "......" line stands for elided frames: it is not a continuation, so "Caused by:
  // NoSuchElementException: Timeout waiting for idle object" starts a record of its own.
  'java/redis-client-pool-exhausted#0',
  // A traceback without its "Traceback (most recent call last):" header: the joiner cannot tell
  // it is one, and "OSError: [Errno 99] …" alone does not name the connect() call.
  'python/connect-cannot-assign-requested-address#1',
];
