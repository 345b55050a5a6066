/** How the bytes of a Kafka message are read: FAULTLINE_INPUT_ENCODING, globally or per topic. */

export const INPUT_ENCODINGS = ['auto', 'text', 'json', 'otlp_proto', 'otlp_json'] as const;

/**
 * - auto: JSON when it parses, else text; an OTLP logs request (JSON, or protobuf recognised by
 *   its framing) becomes one record per log record.
 * - text: every message is plain text, never parsed.
 * - json: as auto, without looking for OTLP protobuf.
 * - otlp_proto / otlp_json: the Collector Kafka exporter's encodings: a message that is not a
 *   valid OTLP logs request is dead-lettered (reason invalid-otlp).
 */
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** `encoding` or `topic=encoding`, as the setting's list items are written. */
export const INPUT_ENCODING_ITEM = `^([a-zA-Z0-9._-]{1,249}=)?(${INPUT_ENCODINGS.join('|')})$`;

/** The encoding of each topic from the setting's items: `topic=enc` entries, else the bare entry, else auto. */
export function encodingResolver(items: readonly string[] | undefined): (topic: string) => InputEncoding {
  let fallback: InputEncoding = 'auto';
  const byTopic = new Map<string, InputEncoding>();
  for (const item of items ?? []) {
    const eq = item.lastIndexOf('=');
    const enc = item.slice(eq + 1) as InputEncoding;
    if (!INPUT_ENCODINGS.includes(enc)) throw new RangeError(`unknown input encoding ${JSON.stringify(item)}`);
    if (eq < 0) fallback = enc;
    else byTopic.set(item.slice(0, eq), enc);
  }
  if (byTopic.size === 0) return () => fallback;
  return (topic) => byTopic.get(topic) ?? fallback;
}
