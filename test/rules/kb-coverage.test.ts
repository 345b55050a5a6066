/**
 * The README's KB coverage section (scripts/kb-coverage.ts): current for rules/ (so CI fails when
 * a rule is added without `npm run kb:coverage`), and generated from the rules themselves.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import { NO_LIBRARY, coverageOf, librariesWith, runKbCoverage } from '../../scripts/kb-coverage.js';
import { captureIo } from '../cli/capture-io.js';
import { flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { REPO_ROOT } from './kb-corpus.js';

afterEach(removeRulesDirs);

const START = '<!-- kb-coverage:start -->';
const END = '<!-- kb-coverage:end -->';

/** A rule file for the temporary KBs below. */
function rule(id: string, tags: string[], match: number, noMatch: number): Record<string, unknown> {
  const texts = (kind: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${id} ${kind} ${i}`);
  return flatRecord({
    id,
    regex: `${id.replace(/[^a-z]/g, '.')} match`,
    domain: id.split('/')[0],
    tags,
    examples: { match: texts('match', match), no_match: texts('miss', noMatch) },
  });
}

/**
 * Two ecosystems: alpha mixes two signals, no signal, a library, a generic tag and another
 * ecosystem's name, and a rule with no library tag at all.
 */
const KB = {
  'alpha/one.json': rule('alpha/one', ['pool-starvation', 'thread-starvation', 'hikaricp', 'timeout'], 3, 1),
  'alpha/two.json': rule('alpha/two', ['hikaricp', 'beta'], 2, 2),
  'alpha/four.json': rule('alpha/four', ['pool-starvation', 'timeout'], 1, 1),
  'beta/three.json': rule('beta/three', ['socket-exhaustion', 'nginx', 'file-descriptors'], 2, 1),
};

function section(readme: string): string {
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  expect(i).toBeGreaterThanOrEqual(0);
  expect(j).toBeGreaterThan(i);
  return readme.slice(i, j + END.length);
}

describe('the KB coverage section of README.md', () => {
  it('is what `npm run kb:coverage` generates from rules/ (run it after changing a rule)', async () => {
    const cap = captureIo();
    const code = await runKbCoverage(['--check'], cap.io);
    expect(cap.stderr()).toBe('');
    expect(code).toBe(0);
  });
});

describe('scripts/kb-coverage.ts', () => {
  it('counts rules per ecosystem and signal, rules without a signal, examples and libraries', async () => {
    const dir = await rulesDir(KB);
    const loaded = await loadRules([dir]);
    expect(loaded.problems).toEqual([]);
    const { ecosystems, total } = coverageOf(loaded.rules, dir);
    expect(ecosystems.map((e) => e.name)).toEqual(['alpha', 'beta']);
    const [alpha, beta] = ecosystems;
    expect(alpha).toMatchObject({
      rules: 3,
      signals: { 'socket-exhaustion': 0, 'pool-starvation': 2, 'thread-starvation': 1 },
      other: 1,
      match: 6,
      noMatch: 4,
    });
    // Generic tags (timeout) and ecosystem names (beta) are not libraries; a rule without one is counted apart.
    const none = { 'socket-exhaustion': 0, 'pool-starvation': 0, 'thread-starvation': 0 };
    expect(Object.fromEntries(alpha?.libraries ?? [])).toEqual({
      hikaricp: { rules: 2, signals: { ...none, 'pool-starvation': 1, 'thread-starvation': 1 }, other: 1 },
      [NO_LIBRARY]: { rules: 1, signals: { ...none, 'pool-starvation': 1 }, other: 0 },
    });
    expect(Object.fromEntries(beta?.libraries ?? [])).toEqual({
      nginx: { rules: 1, signals: { ...none, 'socket-exhaustion': 1 }, other: 0 },
    });
    // The no-library row does not count as a library.
    expect(alpha === undefined ? -1 : librariesWith(alpha, 'pool-starvation')).toBe(1);
    expect(alpha === undefined ? -1 : librariesWith(alpha, 'socket-exhaustion')).toBe(0);
    expect(total).toMatchObject({
      rules: 4,
      signals: { 'socket-exhaustion': 1, 'pool-starvation': 2, 'thread-starvation': 1 },
      other: 1,
      match: 8,
      noMatch: 5,
    });
  });

  it('rewrites only its section, then --check passes until a rule is added', async () => {
    const dir = await rulesDir(KB);
    const readme = path.join(dir, 'README.md');
    const before = `# project\n\nintro\n\n${START}\nold table\n${END}\n\n## after\n`;
    await writeFile(readme, before);
    const args = ['--rules', dir, '--readme', readme];

    expect(await runKbCoverage(['--check', ...args], captureIo().io)).toBe(1);
    expect(await readFile(readme, 'utf8')).toBe(before);

    expect(await runKbCoverage(args, captureIo().io)).toBe(0);
    const written = await readFile(readme, 'utf8');
    expect(written.startsWith('# project\n\nintro\n\n')).toBe(true);
    expect(written.endsWith(`${END}\n\n## after\n`)).toBe(true);
    expect(section(written)).not.toContain('old table');
    expect(section(written)).toContain('| alpha | 0 | 2 | 1 | 1 | 3 | 6 | 4 |');
    // ecosystem × library × signal, no-library row last; distinct libraries per signal.
    expect(section(written)).toContain(`| alpha | hikaricp | · | 1 | 1 | 1 | 2 |\n| alpha | ${NO_LIBRARY} | · | 1 | · | · | 1 |\n| beta | nginx | 1 | · | · | · | 1 |`);
    expect(section(written)).toContain('| alpha | 0 | 1 | 1 |');
    expect(await runKbCoverage(['--check', ...args], captureIo().io)).toBe(0);

    await writeFile(path.join(dir, 'beta/five.json'), JSON.stringify(rule('beta/five', ['pool-starvation'], 2, 1)));
    const cap = captureIo();
    expect(await runKbCoverage(['--check', ...args], cap.io)).toBe(1);
    expect(cap.stderr()).toContain('run `npm run kb:coverage`');
    expect(await readFile(readme, 'utf8')).toBe(written);
  });

  it('creates a README holding only the section, and appends the section to one without markers', async () => {
    const dir = await rulesDir(KB);
    const readme = path.join(dir, 'README.md');
    expect(await runKbCoverage(['--rules', dir, '--readme', readme], captureIo().io)).toBe(0);
    const created = await readFile(readme, 'utf8');
    expect(created).toBe(`${section(created)}\n`);

    await writeFile(readme, '# project\n');
    expect(await runKbCoverage(['--check', '--rules', dir, '--readme', readme], captureIo().io)).toBe(1);
    expect(await runKbCoverage(['--rules', dir, '--readme', readme], captureIo().io)).toBe(0);
    expect(await readFile(readme, 'utf8')).toBe(`# project\n\n${section(created)}\n`);
  });

  it('refuses to count a KB whose rules do not load, and leaves the README alone', async () => {
    const dir = await rulesDir({ ...KB, 'beta/bad.json': flatRecord({ id: 'beta/bad', regex: '(?<=x)y' }) });
    const readme = path.join(dir, 'README.md');
    const cap = captureIo();
    expect(await runKbCoverage(['--rules', dir, '--readme', readme], cap.io)).toBe(2);
    expect(cap.stderr()).toContain('beta/bad');
    await expect(readFile(readme, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('runs as a command: exit 1 on a stale README with --check, 0 once written', { timeout: 60_000 }, async () => {
    const dir = await rulesDir(KB);
    const readme = path.join(dir, 'README.md');
    await writeFile(readme, `${START}\n${END}\n`);
    const run = promisify(execFile);
    const command = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/kb-coverage.ts', ...args, '--rules', dir, '--readme', readme], { cwd: REPO_ROOT });
    await expect(command('--check')).rejects.toMatchObject({ code: 1 });
    await command();
    await command('--check');
    expect(section(await readFile(readme, 'utf8'))).toContain('| beta | 1 | 0 | 0 | 0 | 1 | 2 | 1 |');
  });
});
