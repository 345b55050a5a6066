import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRulesCheck } from '../../src/cli/rules-check.js';
import { REPO_ROOT, flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { captureIo } from './capture-io.js';

afterEach(removeRulesDirs);

describe('runRulesCheck', () => {
  it('exits 0 and prints the summary when every rule loads', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 'test/a' }), 'b.json': flatRecord({ id: 'test/b' }) });
    const cap = captureIo();
    expect(await runRulesCheck({ rules: [dir], format: 'text' }, cap.io)).toBe(0);
    expect(cap.stdout()).toBe('2 rules in 2 files, 0 problems\n');
  });

  it('exits 1 and lists each problem on its own line: file, rule id, message', async () => {
    const dir = await rulesDir({
      'good.json': flatRecord({ id: 'test/good' }),
      'lookahead.json': flatRecord({ id: 'test/lookahead', regex: 'a(?=b)' }),
      'broken.json': '{"id": "test/broken",',
    });
    const cap = captureIo();
    expect(await runRulesCheck({ rules: [dir], format: 'text' }, cap.io)).toBe(1);
    const lines = cap.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${path.join(dir, 'broken.json')}: (no id): invalid JSON at line 1, column 22: unexpected end of input`);
    expect(lines[1]).toMatch(
      new RegExp(`^${escape(path.join(dir, 'lookahead.json'))}: test/lookahead: regex "a\\(\\?=b\\)": RE2 rejects it: invalid perl operator: \\(\\?=`),
    );
    expect(lines[2]).toBe('1 rule in 3 files, 2 problems');
  });

  it('notes files it skipped as not being rules', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord(), 'package.json': { name: 'x' } });
    const cap = captureIo();
    expect(await runRulesCheck({ rules: [dir], format: 'text' }, cap.io)).toBe(0);
    expect(cap.stdout()).toContain(`${path.join(dir, 'package.json')}: skipped: `);
  });

  it('writes one JSON report with --format json', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ confidence: 7 }) });
    const cap = captureIo();
    expect(await runRulesCheck({ rules: [dir], format: 'json' }, cap.io)).toBe(1);
    expect(JSON.parse(cap.stdout())).toEqual({
      rules: 0,
      files: 1,
      problems: [{ kind: 'schema', file: path.join(dir, 'r.json'), ruleId: 'test/boom', message: 'confidence: must be <= 1' }],
      skipped: [],
    });
  });

  it('passes on the rules shipped in this repository', async () => {
    const cap = captureIo();
    expect(await runRulesCheck({ rules: [path.join(REPO_ROOT, 'rules')], format: 'text' }, cap.io)).toBe(0);
    expect(cap.stdout()).toMatch(/^\d+ rules? in \d+ files?, 0 problems\n$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
