import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRulesTest } from '../../src/cli/rules-test.js';
import { REPO_SEED_FILE, flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { captureIo } from './capture-io.js';

afterEach(removeRulesDirs);

const withExamples = (fields: Record<string, unknown>, match: unknown[], noMatch: unknown[]) =>
  flatRecord({ ...fields, examples: { match, no_match: noMatch } });

describe('runRulesTest', () => {
  it('exits 0 when every example behaves', async () => {
    const dir = await rulesDir({
      'r.json': withExamples({ regex: 'EADDRNOTAVAIL|Cannot assign requested address' }, [
        'connect EADDRNOTAVAIL 10.0.0.1:443',
        { text: 'Cannot assign requested address', source: 'https://example.org/x' },
      ], [{ text: 'EADDRINUSE 10.0.0.1:443', note: 'port in use, not exhausted' }]),
    });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir], requireExamplesUnder: [dir] }, cap.io)).toBe(0);
    expect(cap.stdout()).toBe('1 rule in 1 file, 0 problems; 3 examples run, 0 failures, 0 warnings\n');
  });

  it('fails a match example that does not match, naming rule, file and example', async () => {
    const dir = await rulesDir({ 'r.json': withExamples({}, ['boom happened', 'BOOM HAPPENED'], []) });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(1);
    expect(cap.stdout().split('\n')[0]).toBe(
      `FAIL ${path.join(dir, 'r.json')}: test/boom: match example does not match: "BOOM HAPPENED"`,
    );
  });

  it('fails a no_match example that matches, with its note', async () => {
    const dir = await rulesDir({
      'r.json': withExamples({}, ['boom happened'], [{ text: 'no boom happened today', note: 'negated' }]),
    });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(1);
    expect(cap.stdout()).toContain(
      `FAIL ${path.join(dir, 'r.json')}: test/boom: no_match example matches: "no boom happened today" (negated)\n`,
    );
    expect(cap.stdout()).toContain('2 examples run, 1 failure, 0 warnings');
  });

  it('passes a no_match example that the rule\'s unless silences', async () => {
    const dir = await rulesDir({
      'r.json': withExamples({ regex: 'Too many open files', unless: ['forkAndExec', 'ProcessBuilder'] }, ['java.io.IOException: Too many open files'], [
        { text: 'java.io.IOException: Too many open files\n\tat java.lang.UNIXProcess.forkAndExec(Native Method)', note: 'EMFILE on a fork, not a socket' },
      ]),
    });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(0);
    expect(cap.stdout()).toBe('1 rule in 1 file, 0 problems; 2 examples run, 0 failures, 0 warnings\n');
  });

  it('fails a match example that the rule\'s own unless silences, naming the guard', async () => {
    const dir = await rulesDir({
      'r.json': withExamples({ regex: 'Too many open files', unless: ['forkAndExec', 'accept0'] }, [
        'java.io.IOException: Too many open files',
        'java.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)',
        'no such text',
      ], []),
    });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(1);
    const file = path.join(dir, 'r.json');
    expect(cap.stdout().split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([
      `FAIL ${file}: test/boom: match example matches the rule's regex but unless[1] "accept0" silences it: "java.io.IOException: Too many open files\\n\\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)"`,
      `FAIL ${file}: test/boom: match example does not match: "no such text"`,
    ]);
  });

  it('fails on load problems too', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ regex: '(?<=x)y' }) });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(1);
    expect(cap.stdout()).toMatch(/^FAIL .*r\.json: test\/boom: regex "\(\?<=x\)y": RE2 rejects it/);
  });

  it('warns about rules without examples in the required directories, and fails with strict', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord() });
    const line = `WARN ${path.join(dir, 'r.json')}: test/boom: no examples`;

    const warned = captureIo();
    expect(await runRulesTest({ rules: [dir], requireExamplesUnder: [dir] }, warned.io)).toBe(0);
    expect(warned.stdout()).toContain(line);
    expect(warned.stdout()).toContain('0 failures, 1 warning');

    const strict = captureIo();
    expect(await runRulesTest({ rules: [dir], requireExamplesUnder: [dir], strict: true }, strict.io)).toBe(1);
    expect(strict.stdout()).toContain(line.replace('WARN', 'FAIL'));
  });

  it('does not ask for examples outside the required directories', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord() });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir], strict: true }, cap.io)).toBe(0);
    expect(cap.stdout()).not.toContain('no examples');
  });

  it('warns when a match example also matches a rule not declared in overlaps', async () => {
    const dir = await rulesDir({
      'a.json': withExamples({ id: 'test/a', regex: 'pool exhausted' }, ['db pool exhausted after 30s'], []),
      'b.json': withExamples({ id: 'test/b', regex: 'exhausted after' }, ['exhausted after 30s'], []),
      'c.json': withExamples({ id: 'test/c', regex: 'db pool', overlaps: ['test/a'] }, ['db pool'], []),
    });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir] }, cap.io)).toBe(0);
    const warnings = cap.stdout().split('\n').filter((l) => l.startsWith('WARN'));
    expect(warnings).toEqual([
      `WARN ${path.join(dir, 'a.json')}: test/a: match example also matches test/b (not declared in overlaps): "db pool exhausted after 30s"`,
    ]);
  });

  it('writes a JSON report with --format json', async () => {
    const dir = await rulesDir({ 'r.json': withExamples({}, ['nothing here'], []) });
    const cap = captureIo();
    expect(await runRulesTest({ rules: [dir], format: 'json' }, cap.io)).toBe(1);
    expect(JSON.parse(cap.stdout())).toMatchObject({
      rules: 1,
      examples: 1,
      failures: 1,
      warnings: 0,
      findings: [{ kind: 'not-matched', ruleId: 'test/boom', example: { text: 'nothing here' } }],
    });
  });

  it('asks for examples from the rules in this repository’s rules/ by default', async () => {
    const seed = JSON.parse(await readFile(REPO_SEED_FILE, 'utf8')) as { id: string; examples?: unknown };
    const cap = captureIo();
    const code = await runRulesTest({ rules: [REPO_SEED_FILE] }, cap.io);
    const warning = `WARN ${REPO_SEED_FILE}: ${seed.id}: no examples`;
    if (seed.examples === undefined) {
      expect(cap.stdout()).toContain(warning);
      expect(code).toBe(0);
      expect(await runRulesTest({ rules: [REPO_SEED_FILE], strict: true }, captureIo().io)).toBe(1);
    } else {
      expect(cap.stdout()).not.toContain(warning);
    }
  });
});
