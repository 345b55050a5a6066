/**
 * Decoding finds the text to match inside one raw record (a log line, a joined multi-line
 * stack trace, or a Kafka message value) and the service it came from.
 */

/** Every issue decoding can report: metrics label values, in a fixed order. */
export const DECODE_ISSUES = [
  'invalid-json', // started with { but did not parse: matched as plain text
  'invalid-utf8', // bytes were not valid UTF-8: replacement characters were used
  'binary', // mostly control bytes: not matched (text is '')
  'too-large', // over maxRecordBytes: truncated to the limit (on a UTF-8 boundary) before matching
  'too-deep', // JSON nested deeper than maxJsonDepth: matched as plain text, never parsed
  'unknown-shape', // JSON object without any known message/error field: all its string values were matched
  'empty', // nothing to match (blank line, empty message)
] as const;

export type DecodeIssue = (typeof DECODE_ISSUES)[number];

export interface DecodeOptions {
  /** Records above this many bytes are truncated (scan) or dead-lettered (worker). */
  maxRecordBytes: number;
  /**
   * Dotted paths of message fields, tried in order; all found are joined. `a|b` takes the first
   * of the alternatives that exists (Serilog: `@m|@mt`). A path segment may be quoted to keep its
   * dots: `kubernetes.labels["app.kubernetes.io/name"]`. A dotted path also finds flat dotted keys
   * (`{"error.message": …}`, ECS) and OTLP key/value arrays (`[{key, value: {stringValue}}]`).
   * Defaults cover the common shapes (see defaults.ts).
   */
  messageFields?: string[];
  /**
   * Dotted paths of exception / stack fields, appended after the message. A path that holds an
   * object (pino `err`, ECS `error`, log4j2 `thrown`, OTel `attributes.exception`) is rendered as
   * `Type: message` plus its stack and causes.
   */
  errorFields?: string[];
  /** Dotted paths for the service name, first found wins. */
  serviceFields?: string[];
  /** Service used when the record names none (the worker passes a header or the key). */
  fallbackService?: string;
  /** JSON nested deeper than this is not parsed (serialising it again would overflow the stack). Default 64. */
  maxJsonDepth?: number;
}

export interface DecodedRecord {
  /** The text the bank matches: message, then exception/stack text, newline-separated. */
  text: string;
  /** The event to emit: the parsed JSON object, or { message } for plain text and non-object JSON. */
  event: Record<string, unknown>;
  /** `otlp`: one log record of an OTLP logs export request (protobuf or JSON). */
  format: 'json' | 'text' | 'otlp';
  service?: string;
  /** Shared and frozen when empty: never push into it. */
  issues: readonly DecodeIssue[];
  /** Size of the raw record in bytes. */
  bytes: number;
}
