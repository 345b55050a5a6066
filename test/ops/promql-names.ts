/**
 * The metric names a PromQL expression reads, found without a full PromQL parser: string
 * literals, label matchers, ranges and grouping clauses are cut out first, then every remaining
 * identifier that is not a keyword and not followed by "(" (a function or aggregation) is a
 * metric name. Grafana variables ($service, ${x}, $__rate_interval) only occur where those cuts
 * remove them, or as whole range durations.
 */

const KEYWORDS = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
  'offset', 'bool', 'inf', 'nan', 'atan2',
]);

export function metricNames(expr: string): string[] {
  const text = expr
    // Strings first: they may hold braces, brackets and anything else.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/#[^\n]*/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const names = new Set<string>();
  const token = /(\d[\w.]*|\.\d[\w]*)|([a-zA-Z_:][a-zA-Z0-9_:]*)/g;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const id = m[2];
    if (id === undefined) continue;
    if (KEYWORDS.has(id.toLowerCase())) continue;
    const rest = text.slice(token.lastIndex);
    if (/^\s*\(/.test(rest)) continue;
    names.add(id);
  }
  return [...names].sort();
}

/** Grafana's label_values(metric{…}, label): the metric, if the query names one. */
export function grafanaVariableMetrics(query: string): string[] {
  const m = /^\s*label_values\(\s*(.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(query);
  if (m) return metricNames(m[1]!);
  if (/^\s*label_values\(/.test(query) || /^\s*label_names\(\)/.test(query)) return [];
  const q = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  return metricNames(q ? q[1]! : query);
}

/**
 * Turns a Grafana query into plain PromQL for syntax checking: its variables become values that
 * parse in the same place ($__rate_interval in a range, $service inside a regex matcher).
 */
export function grafanaToPromql(expr: string): string {
  return expr
    .replace(/\$__(?:rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{[^}]*\}|\$\w+/g, '.*');
}
