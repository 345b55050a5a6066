/**
 * The bank on a real knowledge base: the deadends regexes (as src/kb/load.ts normalises them)
 * over real log lines from loghub, with real signatures injected. Needs ../shared (present on
 * developer machines and in CI, absent from a fresh clone): skipped with a message otherwise.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import { ReferenceMatcher } from './support/rules.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const DEADENDS = `${SHARED}data/deadends/canons`;
const LOGHUB = `${SHARED}data/loghub`;
const present = existsSync(DEADENDS) && existsSync(LOGHUB);
if (!present) console.warn(`skipping the deadends bank test: ${SHARED}data is not there (fresh clone)`);

function signatureOf(rule: Rule): string | undefined {
  const error = rule.record.error as { signature?: unknown } | undefined;
  return typeof error?.signature === 'string' ? error.signature : rule.examples?.match[0]?.text;
}

describe.skipIf(!present)('buildBank on the deadends KB over loghub', () => {
  it('compiles every deadends regex and matches exactly like rule-by-rule RE2', async () => {
    const loaded = await loadRules([DEADENDS]);
    expect(loaded.rules.length).toBeGreaterThan(2000);
    const { bank, problems } = buildBank(loaded.rules);
    // Any regex RE2 rejects would show here; the KB engineer needs to hear of it.
    expect(problems).toEqual([]);
    expect(bank.stats.prefiltered / bank.stats.patterns).toBeGreaterThan(0.97);

    const files = readdirSync(LOGHUB).filter((f) => f.endsWith('.log'));
    const lines = files.flatMap((f) => readFileSync(`${LOGHUB}/${f}`, 'utf8').split('\n').filter(Boolean).slice(0, 40));
    const signatures = loaded.rules.map(signatureOf).filter((s): s is string => s !== undefined);
    const texts: string[] = [...lines];
    for (let i = 0; i < 240; i++) {
      const line = lines[(i * 37) % lines.length] as string;
      const sig = signatures[(i * 101) % signatures.length] as string;
      // Signatures inside a line, alone, and across a multi-line record.
      texts.push(i % 3 === 0 ? sig : i % 3 === 1 ? `${line.slice(0, 40)} ${sig} ${line.slice(40)}` : `${line}\n${sig}\n${line}`);
    }

    const reference = new ReferenceMatcher(loaded.rules);
    let matched = 0;
    for (const text of texts) {
      const got = bank.match(text);
      expect(got, text).toEqual(reference.match(text));
      matched += got.length;
    }
    expect(matched).toBeGreaterThan(240);
    bank.close();
  }, 300_000);
});
