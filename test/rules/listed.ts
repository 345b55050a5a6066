/**
 * Compares what a check found with its list of known exceptions, both ways: a case not listed is a
 * new problem, a listed case no longer found is a stale entry (its rule was fixed: delete it).
 */
export interface ListedDiff {
  /** Descriptions of the cases found and not listed. */
  unlisted: string[];
  /** Listed keys no longer found. */
  stale: string[];
}

/** `found`: key (as used in the list) → description for the failure message. */
export function diffAgainstList(found: ReadonlyMap<string, string>, listed: readonly string[]): ListedDiff {
  const known = new Set(listed);
  return {
    unlisted: [...found].filter(([key]) => !known.has(key)).map(([, description]) => description),
    stale: listed.filter((key) => !found.has(key)),
  };
}
