import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOOP_OBSERVER, type PipelineObserver, type RulesReport } from '../../src/pipeline/observer.js';
import { loadBank, RulesUnusableError } from '../../src/ruleset/load-bank.js';
import { flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';

afterEach(removeRulesDirs);

function recording(): { observer: PipelineObserver; reports: RulesReport[] } {
  const reports: RulesReport[] = [];
  return { observer: { ...NOOP_OBSERVER, rulesLoaded: (r) => reports.push(r) }, reports };
}

const good = (id: string) => flatRecord({ id: `t/${id}`, regex: `boom ${id}` });
const badRegex = flatRecord({ id: 't/lookahead', regex: 'a(?=b)' });

describe('loadBank', () => {
  it('reports every rule with the KB text the info series shows', async () => {
    const dir = await rulesDir({
      'a.json': flatRecord({
        id: 't/a',
        root_cause: 'The pool is too small for the load.',
        workarounds: [
          { action: 'Restart it', success_rate: 0.2 },
          { action: 'Raise the pool size', success_rate: 0.9 },
        ],
      }),
      'b.json': good('b'),
    });
    const { observer, reports } = recording();
    const loaded = await loadBank({ dirs: [dir], strict: false }, observer);
    expect(loaded.bank.rules.map((r) => r.id)).toEqual(['t/a', 't/b']);
    expect(loaded.problems).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ ok: true, rules: 2, problems: 0, version: loaded.version });
    expect(reports[0]?.ruleInfo[0]).toMatchObject({ id: 't/a', rootCause: 'The pool is too small for the load.', bestWorkaround: { action: 'Raise the pool size' } });
    expect(reports[0]?.ruleInfo[1]).not.toHaveProperty('rootCause');
    expect(reports[0]?.ruleInfo[1]).not.toHaveProperty('bestWorkaround');
    loaded.bank.close();
  });

  it('skips bad rules with their problems when not strict', async () => {
    const dir = await rulesDir({ 'a.json': good('a'), 'broken.json': '{"id": "t/broken",', 'regex.json': badRegex });
    const { observer, reports } = recording();
    const loaded = await loadBank({ dirs: [dir], strict: false }, observer);
    expect(loaded.bank.rules.map((r) => r.id)).toEqual(['t/a']);
    expect(loaded.problems.map((p) => p.kind).sort()).toEqual(['invalid-json', 'regex']);
    expect(reports[0]).toMatchObject({ ok: true, rules: 1, problems: 2 });
    loaded.bank.close();
  });

  it('refuses any problem under strict rules, reporting the failure', async () => {
    const dir = await rulesDir({ 'a.json': good('a'), 'regex.json': badRegex });
    const { observer, reports } = recording();
    const refused = await loadBank({ dirs: [dir], strict: true }, observer).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RulesUnusableError);
    expect((refused as RulesUnusableError).message).toBe('1 rule problem(s) and strict rules are on');
    expect((refused as RulesUnusableError).problems.map((p) => p.ruleId)).toEqual(['t/lookahead']);
    expect(reports).toEqual([expect.objectContaining({ ok: false, problems: 1 })]);
  });

  it('refuses a rule set without any usable rule, strict or not', async () => {
    for (const files of [{}, { 'broken.json': '{' }, { 'regex.json': badRegex }]) {
      const dir = await rulesDir(files);
      const { observer, reports } = recording();
      await expect(loadBank({ dirs: [dir], strict: false }, observer)).rejects.toThrow(/^no usable rule in /);
      expect(reports.map((r) => r.ok)).toEqual([false]);
    }
  });

  it('refuses a configured path that cannot be read, even with rules elsewhere', async () => {
    const dir = await rulesDir({ 'a.json': good('a') });
    const missing = path.join(dir, 'not-there');
    const { observer, reports } = recording();
    await expect(loadBank({ dirs: [dir, missing], strict: false }, observer)).rejects.toThrow(`${missing}: cannot read rules path: ENOENT`);
    expect(reports.map((r) => r.ok)).toEqual([false]);
  });
});
