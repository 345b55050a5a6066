/**
 * Grouping accuracy (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP
 * 2019): a message counts as parsed correctly when the set of messages its mined group holds is
 * exactly the set its ground-truth group holds. GA = correct messages / all messages.
 */
export function groupingAccuracy(truth: readonly string[], mined: readonly string[]): number {
  if (truth.length !== mined.length) throw new Error(`${truth.length} ground-truth labels for ${mined.length} mined ones`);
  if (truth.length === 0) return 1;
  const truthSize = countBy(truth);
  // For each mined group: its size, and the one ground-truth label of all its members (or null).
  const groups = new Map<string, { size: number; label: string | null }>();
  for (let i = 0; i < mined.length; i++) {
    const g = groups.get(mined[i]!);
    if (g === undefined) groups.set(mined[i]!, { size: 1, label: truth[i]! });
    else {
      g.size++;
      if (g.label !== truth[i]) g.label = null;
    }
  }
  let correct = 0;
  for (const g of groups.values()) {
    if (g.label !== null && truthSize.get(g.label) === g.size) correct += g.size;
  }
  return correct / truth.length;
}

function countBy(labels: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return counts;
}
