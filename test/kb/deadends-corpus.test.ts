import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import { DEADENDS_DIR, SHARED_MISSING } from './rule-files.js';

function countJsonFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json')).length;
}

describe.skipIf(SHARED_MISSING)(SHARED_MISSING ?? 'the deadends knowledge base (../shared/data/deadends)', () => {
  it('loads every record and compiles every regex under RE2', async () => {
    const result = await loadRules([DEADENDS_DIR]);
    const expected = countJsonFiles(DEADENDS_DIR);
    expect(expected).toBeGreaterThan(2500);
    expect(result.problems).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.files).toBe(expected);
    expect(result.rules).toHaveLength(expected);
    expect(new Set(result.rules.map((r) => r.format))).toEqual(new Set(['deadends']));
    for (const rule of result.rules) expect(rule.patterns[0]?.regex).toMatch(/^\(\?[a-z]*i[a-z]*\)/);
  });
});
