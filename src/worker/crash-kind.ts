/**
 * Why the consumer stopped, as the connection state must see it: only a broker that did not
 * answer is an outage. A broker that answered with a group-coordinator state (loading its
 * offsets topic after a start, moving the coordinator, rebalancing) is reachable; saying
 * "Kafka is unreachable" then would send an operator after a network problem that is not there.
 */

export type CrashKind = 'read' | 'coordinator' | 'unreachable';

/** Group-coordinator answers from kafkajs (`KafkaJSProtocolError.type`), all transient. */
const COORDINATOR_TYPES: ReadonlySet<string> = new Set([
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'REBALANCE_IN_PROGRESS',
]);

/** Errors of reading a response (codecs, record batches), or a refusal the broker answered with. */
const READ_ERRORS: ReadonlySet<string> = new Set(['KafkaJSNotImplemented', 'CodecError', 'DeadLetterRefusedError']);

/** How deep a chain of causes is followed (kafkajs wraps a retried error once or twice). */
const MAX_CAUSES = 8;

export function crashKind(error: Error): CrashKind {
  if (READ_ERRORS.has(error.name)) return 'read';
  let e: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && e instanceof Error; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && COORDINATOR_TYPES.has(type)) return 'coordinator';
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return 'unreachable';
}

/** The one `consumer-crash` log line of a crash: its level, fields and message. */
export interface CrashLine {
  level: 'warn' | 'error';
  fields: { event: 'consumer-crash'; error: string; kind: string; cause: CrashKind; restarting: boolean };
  msg: string;
}

/**
 * One line per crash, whatever its cause (`cause` says which), so a log query on
 * `event=consumer-crash` counts crashes and the coordinator case is not a second warning.
 */
export function crashLine(error: Error, restarting: boolean): CrashLine {
  const cause = crashKind(error);
  const what =
    cause === 'coordinator'
      ? `the group coordinator answered but cannot serve the group yet (${error.message})`
      : `consumer failed (${error.message})`;
  return {
    level: restarting ? 'warn' : 'error',
    fields: { event: 'consumer-crash', error: error.message, kind: error.name, cause, restarting },
    msg: restarting ? `${what}: restarting with backoff` : what,
  };
}
