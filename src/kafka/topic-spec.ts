/**
 * FAULTLINE_INPUT_TOPICS: a list whose entries are topic names or, when they hold regex
 * characters, patterns matched against whole topic names. Topic names may contain `.`, `_` and
 * `-` only besides letters and digits, so any other regex character marks a pattern (a lone `.`
 * stays a literal: `logs.app` is a topic name).
 */

export interface TopicSpec {
  names: string[];
  patterns: RegExp[];
}

const PATTERN_CHARS = /[\\^$*+?()[\]{}|]/;

export function isPatternEntry(entry: string): boolean {
  return PATTERN_CHARS.test(entry);
}

export class TopicSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'TopicSpecError';
  }
}

export function parseTopicSpec(entries: readonly string[]): TopicSpec {
  const names: string[] = [];
  const patterns: RegExp[] = [];
  const problems: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (!isPatternEntry(entry)) {
      if (!names.includes(entry)) names.push(entry);
      continue;
    }
    try {
      // Anchored: `logs\..*` must not also pick `old-logs.x`.
      patterns.push(new RegExp(`^(?:${entry})$`));
    } catch (err) {
      problems.push(`FAULTLINE_INPUT_TOPICS: "${entry}" is not a valid regular expression (${(err as Error).message})`);
    }
  }
  if (problems.length > 0) throw new TopicSpecError(problems);
  if (names.length === 0 && patterns.length === 0) throw new TopicSpecError(['FAULTLINE_INPUT_TOPICS: no topic given']);
  return { names, patterns };
}

export interface ResolvedTopics {
  /** Topics to subscribe to, sorted. */
  topics: string[];
  /** Literal names not present on the cluster yet. */
  missing: string[];
}

/**
 * The topics to read given the cluster's topic list. Patterns never pick internal topics (`__…`)
 * or `exclude` (our own output and dead-letter topics: reading them back would loop forever);
 * a literal name is taken as given, since naming a topic is a deliberate choice.
 */
export function resolveTopics(spec: TopicSpec, available: readonly string[], exclude: readonly string[] = []): ResolvedTopics {
  const present = new Set(available);
  const excluded = new Set(exclude);
  const chosen = new Set<string>();
  const missing: string[] = [];
  for (const name of spec.names) {
    if (present.has(name)) chosen.add(name);
    else missing.push(name);
  }
  if (spec.patterns.length > 0) {
    for (const topic of available) {
      if (topic.startsWith('__') || excluded.has(topic)) continue;
      if (spec.patterns.some((p) => p.test(topic))) chosen.add(topic);
    }
  }
  return { topics: [...chosen].sort(), missing };
}

export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** For logs: the spec as the operator wrote it. */
export function describeTopicSpec(spec: TopicSpec): string {
  return [...spec.names, ...spec.patterns.map((p) => p.source.slice(4, -2))].join(',');
}
