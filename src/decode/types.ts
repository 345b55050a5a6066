/**
 * Decoding finds the text to match inside one raw record (a log line, a joined multi-line
 * stack trace, or a Kafka message value) and the service it came from.
 */

export type DecodeIssue =
  | 'invalid-json' // looked like JSON ({ or [) but did not parse: matched as plain text
  | 'invalid-utf8' // bytes were not valid UTF-8: replacement characters were used
  | 'binary' // mostly control bytes: not matched
  | 'too-large' // over maxRecordBytes: truncated to the limit before matching
  | 'empty';

export interface DecodeOptions {
  /** Records above this many bytes are truncated (scan) or dead-lettered (worker). */
  maxRecordBytes: number;
  /** Dotted paths of message fields, tried in order; all found are joined. Defaults cover the common shapes. */
  messageFields?: string[];
  /** Dotted paths of exception / stack fields, appended after the message. */
  errorFields?: string[];
  /** Dotted paths for the service name, first found wins. */
  serviceFields?: string[];
}

export interface DecodedRecord {
  /** The text the bank matches: message, then exception/stack text, newline-separated. */
  text: string;
  /** The event to emit: the parsed JSON object, or { message } for plain text. */
  event: Record<string, unknown>;
  format: 'json' | 'text';
  service?: string;
  issues: DecodeIssue[];
  /** Size of the raw record in bytes. */
  bytes: number;
}
