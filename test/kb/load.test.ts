import { readFile, symlink, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import { RuleLoadError } from '../../src/kb/problem-text.js';
import type { RuleProblem } from '../../src/kb/types.js';
import {
  REPO_SEED_FILE,
  SEED_FILE,
  SHARED_MISSING,
  deadendsRecord,
  flatRecord,
  removeRulesDirs,
  rulesDir,
} from './rule-files.js';

afterEach(removeRulesDirs);

function only(problems: RuleProblem[]): RuleProblem {
  expect(problems).toHaveLength(1);
  return problems[0] as RuleProblem;
}

describe('loadRules: loader errors', () => {
  it('reports a file that is not JSON with line and column, and loads the others', async () => {
    const dir = await rulesDir({
      'bad.json': '{\n  "id": "test/bad",\n  "regex": "x",,\n}',
      'good.json': flatRecord(),
    });
    const result = await loadRules([dir]);
    expect(result.rules.map((r) => r.id)).toEqual(['test/boom']);
    const problem = only(result.problems);
    expect(problem).toMatchObject({ kind: 'invalid-json', file: path.join(dir, 'bad.json') });
    expect(problem.message).toContain('line 3, column 16'); // the second comma
  });

  it('reports a schema violation with the field path and the rule id', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ confidence: 1.5 }) });
    const problem = only((await loadRules([dir])).problems);
    expect(problem).toMatchObject({ kind: 'schema', ruleId: 'test/boom', file: path.join(dir, 'r.json') });
    expect(problem.message).toBe('confidence: must be <= 1');
  });

  it('reports every schema violation of a file, and loads no rule from it', async () => {
    const dir = await rulesDir({
      'r.json': flatRecord({ tags: 'socket-exhaustion', workarounds: [{ success_rate: 0.5 }] }),
    });
    const result = await loadRules([dir]);
    expect(result.rules).toEqual([]);
    expect(result.problems.map((p) => p.message).sort()).toEqual([
      'missing required field "workarounds[0].action"',
      'tags: must be array',
    ]);
  });

  it('reports a missing id, naming the file', async () => {
    const record = flatRecord();
    delete record.id;
    const dir = await rulesDir({ 'no-id.json': record });
    const problem = only((await loadRules([dir])).problems);
    expect(problem).toEqual({
      kind: 'missing-field',
      file: path.join(dir, 'no-id.json'),
      message: 'missing required field "id"',
    });
  });

  it('reports a missing regex with the rule id', async () => {
    const record = flatRecord();
    delete record.regex;
    const dir = await rulesDir({ 'no-regex.json': record });
    const problem = only((await loadRules([dir])).problems);
    expect(problem).toEqual({
      kind: 'missing-field',
      file: path.join(dir, 'no-regex.json'),
      ruleId: 'test/boom',
      message: 'missing required field "regex"',
    });
  });

  it('reports a duplicate id naming both files, and keeps the first rule', async () => {
    const dir = await rulesDir({
      'a/first.json': flatRecord({ root_cause: 'first' }),
      'b/second.json': flatRecord({ root_cause: 'second' }),
    });
    const result = await loadRules([dir]);
    expect(result.rules.map((r) => r.rootCause)).toEqual(['first']);
    const problem = only(result.problems);
    expect(problem).toMatchObject({ kind: 'duplicate-id', ruleId: 'test/boom', file: path.join(dir, 'b/second.json') });
    expect(problem.message).toContain(path.join(dir, 'a/first.json'));
  });

  it('reports a duplicate id across two rule directories and across formats', async () => {
    const one = await rulesDir({ 'r.json': flatRecord({ id: 'test/boom/any' }) });
    const two = await rulesDir({ 'r.json': deadendsRecord() });
    const result = await loadRules([one, two]);
    expect(result.rules).toHaveLength(1);
    expect(only(result.problems)).toMatchObject({ kind: 'duplicate-id', file: path.join(two, 'r.json') });
  });

  it.each([
    ['lookahead', 'boom(?= happened)', 'invalid perl operator: (?=', 'lookahead/lookbehind'],
    ['lookbehind', '(?<=big )boom', 'invalid perl operator: (?<=', 'lookahead/lookbehind'],
    ['backreference', '(boom) \\1', 'invalid escape sequence: \\1', 'backreferences'],
    ['named backreference', '(?P<w>boom) (?P=w)', 'invalid perl operator: (?P', 'backreferences'],
    ['bad syntax', 'boom (happened', 'missing ): boom (happened', undefined],
  ])('reports a %s with the file, the rule id and RE2’s own message', async (_name, regex, re2Message, hint) => {
    const dir = await rulesDir({ 'r.json': flatRecord({ regex }) });
    const result = await loadRules([dir]);
    expect(result.rules).toEqual([]);
    const problem = only(result.problems);
    expect(problem).toMatchObject({ kind: 'regex', file: path.join(dir, 'r.json'), ruleId: 'test/boom' });
    expect(problem.message).toContain(`regex ${JSON.stringify(regex)}`);
    expect(problem.message).toContain(re2Message);
    if (hint) expect(problem.message).toContain(hint);
  });

  it('names the variant whose regex RE2 rejects', async () => {
    const dir = await rulesDir({
      'r.json': flatRecord({ regex_variants: [{ regex: 'fine' }, { regex: 'a(?!b)', locale: 'de' }] }),
    });
    const problem = only((await loadRules([dir])).problems);
    expect(problem.message).toMatch(/^regex_variants\[1\]\.regex "a\(\?!b\)": RE2 rejects it: invalid perl operator: \(\?!/);
  });

  it('rejects a regex that matches the empty string (it would tag every record)', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ regex: '(boom)?' }) });
    expect(only((await loadRules([dir])).problems).message).toContain('matches the empty string');
  });

  it('reports a tag that misspells a signal', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ tags: ['socket_exhaustion'] }) });
    const problem = only((await loadRules([dir])).problems);
    expect(problem.message).toBe('tags: "socket_exhaustion" is not a signal; write "socket-exhaustion" so that metrics count this rule');
  });

  it('reports a file holding an array instead of one record', async () => {
    const dir = await rulesDir({ 'r.json': [flatRecord()] });
    expect(only((await loadRules([dir])).problems)).toMatchObject({ kind: 'schema', message: expect.stringContaining('an array') });
  });

  it('reports a rules path that does not exist', async () => {
    const dir = await rulesDir();
    const missing = path.join(dir, 'nope');
    const problem = only((await loadRules([missing])).problems);
    expect(problem).toMatchObject({ kind: 'io', file: missing });
    expect(problem.message).toContain('ENOENT');
  });

  it('with strict, throws one error listing every problem', async () => {
    const dir = await rulesDir({ 'a.json': '{', 'b.json': flatRecord({ regex: '(?=x)' }), 'c.json': flatRecord({ id: 'test/ok' }) });
    const error = await loadRules([dir], { strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    const problems = (error as RuleLoadError).problems;
    expect(problems.map((p) => p.kind)).toEqual(['invalid-json', 'regex']);
    expect((error as Error).message).toContain(path.join(dir, 'a.json'));
    expect((error as Error).message).toContain(path.join(dir, 'b.json'));
  });

  it('with strict and no problem, returns the rules', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord() });
    expect((await loadRules([dir], { strict: true })).rules).toHaveLength(1);
  });
});

describe('loadRules: flat format', () => {
  it('normalises a full record', async () => {
    const record = flatRecord({
      regex_variants: [{ regex: 'boom passiert', locale: 'de', note: 'German runtime' }, { regex: 'BOOM' }],
      tags: ['pool-starvation', 'database', 'socket-exhaustion'],
      root_cause: 'too few connections',
      confidence: 0.7,
      verification_tier: 'human_reviewed',
      official_doc_url: 'https://example.org/boom',
      workarounds: [
        { action: 'restart', success_rate: 0.3 },
        { action: 'raise the pool size', success_rate: 0.9, how: 'maxPoolSize=50' },
        { action: 'pray', success_rate: 0.9 },
      ],
      overlaps: ['test/other'],
    });
    const dir = await rulesDir({ 'r.json': record });
    const { rules, problems } = await loadRules([dir]);
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      {
        id: 'test/boom',
        patterns: [{ regex: 'boom happened' }, { regex: 'boom passiert', locale: 'de', note: 'German runtime' }, { regex: 'BOOM' }],
        domain: 'test',
        category: 'test_error',
        tags: ['pool-starvation', 'database', 'socket-exhaustion'],
        signals: ['socket-exhaustion', 'pool-starvation'],
        rootCause: 'too few connections',
        confidence: 0.7,
        verificationTier: 'human_reviewed',
        officialDocUrl: 'https://example.org/boom',
        bestWorkaround: { action: 'raise the pool size', success_rate: 0.9, how: 'maxPoolSize=50' },
        overlaps: ['test/other'],
        file: path.join(dir, 'r.json'),
        format: 'flat',
        record,
      },
    ]);
  });

  it('normalises examples given as strings or objects', async () => {
    const dir = await rulesDir({
      'r.json': flatRecord({
        examples: {
          match: ['boom happened at 3', { text: 'x boom happened', source: 'https://example.org/log', note: 'prefixed' }],
          no_match: [{ text: 'boom averted' }],
        },
      }),
    });
    const [rule] = (await loadRules([dir])).rules;
    expect(rule?.examples).toEqual({
      match: [{ text: 'boom happened at 3' }, { text: 'x boom happened', source: 'https://example.org/log', note: 'prefixed' }],
      no_match: [{ text: 'boom averted' }],
    });
  });

  it('rejects a misspelled examples key instead of silently testing nothing', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ examples: { matches: ['boom happened'] } }) });
    expect(only((await loadRules([dir])).problems).message).toBe('examples: unknown field "matches"');
  });

  it('keeps every field, unknown ones too, exactly as parsed', async () => {
    const record = flatRecord({ x_team: { owner: 'sre', pager: ['a', 1, null] }, signature: null });
    const dir = await rulesDir({ 'r.json': record });
    const [rule] = (await loadRules([dir])).rules;
    expect(rule?.record).toEqual(record);
  });

  it('loads the repository seed with every field equal to its file', async () => {
    const { rules, problems } = await loadRules([REPO_SEED_FILE]);
    expect(problems).toEqual([]);
    const [rule] = rules;
    expect(rule?.record).toEqual(JSON.parse(await readFile(REPO_SEED_FILE, 'utf8')));
    expect(rule).toMatchObject({
      id: 'dotnet/httpclient-socket-connection-pool-exhausted',
      signals: ['socket-exhaustion'],
      confidence: 0.86,
      verificationTier: 'ai_generated',
      bestWorkaround: { success_rate: 0.95 },
    });
  });

  it.skipIf(SHARED_MISSING)(SHARED_MISSING ?? 'the repository seed equals the shared seed except for its tags', async () => {
    const seed = JSON.parse(await readFile(SEED_FILE, 'utf8')) as Record<string, unknown>;
    const [rule] = (await loadRules([REPO_SEED_FILE])).rules;
    expect(rule?.record).toEqual({ ...seed, tags: ['socket-exhaustion'] });
    expect(Object.keys(rule?.record ?? {})).toEqual(Object.keys(seed));
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const dir = await rulesDir({ 'r.json': `\uFEFF${JSON.stringify(flatRecord())}` });
    expect((await loadRules([dir])).rules).toHaveLength(1);
  });
});

describe('loadRules: unless guards', () => {
  it('reads one regex or a list, naming each by its field, and keeps the record as written', async () => {
    const one = flatRecord({ id: 'test/one', unless: 'forkAndExec', x_owner: 'sre' });
    const list = flatRecord({ id: 'test/list', unless: ['forkAndExec', '(?i)processbuilder'] });
    const dir = await rulesDir({ 'one.json': one, 'list.json': list, 'none.json': flatRecord({ id: 'test/none' }) });
    const { rules, problems } = await loadRules([dir]);
    expect(problems).toEqual([]);
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('test/one')?.unless).toEqual([{ regex: 'forkAndExec', field: 'unless' }]);
    expect(byId.get('test/list')?.unless).toEqual([
      { regex: 'forkAndExec', field: 'unless[0]' },
      { regex: '(?i)processbuilder', field: 'unless[1]' },
    ]);
    expect(byId.has('test/none') && !('unless' in (byId.get('test/none') ?? {}))).toBe(true);
    expect(byId.get('test/one')?.record).toEqual(one);
  });

  it('reports an unless regex RE2 rejects as a regex problem naming file, rule, field and RE2’s message; the other rules load', async () => {
    const dir = await rulesDir({
      'bad.json': flatRecord({ id: 'test/bad', unless: ['fine', 'a(?!b)'] }),
      'good.json': flatRecord({ id: 'test/good', unless: 'fine' }),
    });
    const { rules, problems } = await loadRules([dir]);
    expect(rules.map((r) => r.id)).toEqual(['test/good']);
    const problem = only(problems);
    expect(problem).toMatchObject({ kind: 'regex', file: path.join(dir, 'bad.json'), ruleId: 'test/bad' });
    expect(problem.message).toMatch(/^unless\[1\] "a\(\?!b\)": RE2 rejects it: invalid perl operator: \(\?! \(RE2 has no lookahead/);
  });

  it('names a single unless string as "unless"', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ unless: 'fork (exec' }) });
    expect(only((await loadRules([dir])).problems).message).toBe('unless "fork (exec": RE2 rejects it: missing ): fork (exec');
  });

  it('rejects an unless that matches the empty string: it would silence the rule on every record', async () => {
    const dir = await rulesDir({ 'r.json': flatRecord({ unless: ['fork', '(exec)?'] }) });
    const problem = only((await loadRules([dir])).problems);
    expect(problem).toMatchObject({ kind: 'regex', ruleId: 'test/boom' });
    expect(problem.message).toBe('unless[1] "(exec)?": matches the empty string, so it would silence the rule on every record');
  });

  it('is a flat-format field: a deadends record keeps an unless in its record and is not guarded', async () => {
    const dir = await rulesDir({ 'boom/any.json': deadendsRecord({}, { unless: 'fork' }) });
    const { rules, problems } = await loadRules([dir]);
    expect(problems).toEqual([]);
    expect(rules[0]?.unless).toBeUndefined();
    expect(rules[0]?.record.unless).toBe('fork');
  });

  it.each([
    ['an empty string', '', 'unless: must NOT have fewer than 1 characters'],
    ['an empty list', [], 'unless: must NOT have fewer than 1 items'],
    ['a list with an empty string', ['fork', ''], 'unless[1]: must NOT have fewer than 1 characters'],
    ['a number', 24, 'unless: must be string,array'],
    ['a list with an object', [{ regex: 'fork' }], 'unless[0]: must be string'],
  ])('reports %s as a schema problem', async (_name, unless, message) => {
    const dir = await rulesDir({ 'r.json': flatRecord({ unless }) });
    const result = await loadRules([dir]);
    expect(result.rules).toEqual([]);
    expect(only(result.problems)).toMatchObject({ kind: 'schema', ruleId: 'test/boom', message });
  });
});

describe('loadRules: deadends format', () => {
  it('maps the nested fields and reads the regex case-insensitively, as deadends does', async () => {
    const record = deadendsRecord(
      { regex: 'Boom.{,3}happened' },
      {
        verdict: { summary: 'the boom', confidence: 0.6, resolvable: 'true' },
        workarounds: [{ action: 'duck', success_rate: 0.4 }, { action: 'run', how: 'fast', success_rate: 0.8 }],
        metadata: { review_status: 'auto_generated', generated_by: 'bulk_generate.py' },
        environment: { os: 'any' },
      },
    );
    const dir = await rulesDir({ 'r.json': record });
    const { rules, problems } = await loadRules([dir]);
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      {
        id: 'test/boom/any',
        patterns: [{ regex: '(?i)Boom.{0,3}happened', original: 'Boom.{,3}happened' }],
        domain: 'test',
        category: 'test_error',
        tags: [],
        signals: [],
        rootCause: 'the boom',
        confidence: 0.6,
        verificationTier: 'ai_generated',
        bestWorkaround: { action: 'run', how: 'fast', success_rate: 0.8 },
        overlaps: [],
        file: path.join(dir, 'r.json'),
        format: 'deadends',
        record,
      },
    ]);
  });

  it('reports a missing error.regex and a missing error.domain', async () => {
    const dir = await rulesDir({
      'no-regex.json': deadendsRecord({ regex: undefined }),
      'no-domain.json': deadendsRecord({ domain: undefined }, { id: 'test/other/any' }),
    });
    const { problems } = await loadRules([dir]);
    expect(problems).toEqual([
      { kind: 'schema', file: path.join(dir, 'no-domain.json'), ruleId: 'test/other/any', message: 'missing required field "error.domain"' },
      { kind: 'missing-field', file: path.join(dir, 'no-regex.json'), ruleId: 'test/boom/any', message: 'missing required field "error.regex"' },
    ]);
  });

  it('shows the regex as written and as rewritten when RE2 rejects it', async () => {
    const dir = await rulesDir({ 'r.json': deadendsRecord({ regex: 'boom(?!ed)' }) });
    const problem = only((await loadRules([dir])).problems);
    expect(problem.message).toMatch(/^error\.regex "boom\(\?!ed\)" \(as RE2: "\(\?i\)boom\(\?!ed\)"\): RE2 rejects it/);
  });
});

describe('loadRules: files and directories', () => {
  it('walks sub-directories, skips dot-entries, schema files and JSON that is no rule', async () => {
    const dir = await rulesDir({
      'a/b/deep.json': flatRecord({ id: 'test/deep' }),
      '.hidden/r.json': flatRecord({ id: 'test/hidden' }),
      '.r.json': flatRecord({ id: 'test/dotfile' }),
      'schema.json': { $schema: 'http://json-schema.org/draft-07/schema#', properties: {} },
      'package.json': { name: 'not-a-rule', version: '1.0.0' },
      'notes.txt': 'not json',
    });
    const result = await loadRules([dir]);
    expect(result.rules.map((r) => r.id)).toEqual(['test/deep']);
    expect(result.problems).toEqual([]);
    expect(result.skipped).toEqual([{ file: path.join(dir, 'package.json'), reason: expect.stringContaining('not a rule') }]);
    expect(result.files).toBe(2);
  });

  it('loads a Kubernetes ConfigMap mount once, through its visible names', async () => {
    // kubelet layout: dir/name -> ..data/name, ..data -> ..2024_05_01_10_00_00.123, files in the latter.
    const mount = await rulesDir({
      '..2024_05_01_10_00_00.123/pool.json': flatRecord({ id: 'test/pool' }),
      '..2024_05_01_10_00_00.123/socket.json': flatRecord({ id: 'test/socket' }),
    });
    await symlink('..2024_05_01_10_00_00.123', path.join(mount, '..data'));
    await symlink('..data/pool.json', path.join(mount, 'pool.json'));
    await symlink('..data/socket.json', path.join(mount, 'socket.json'));
    // The rules path itself is often a symlink too.
    const outer = await rulesDir();
    await symlink(mount, path.join(outer, 'rules'));

    const result = await loadRules([path.join(outer, 'rules')]);
    expect(result.problems).toEqual([]);
    expect(result.rules.map((r) => [r.id, r.file])).toEqual([
      ['test/pool', path.join(outer, 'rules/pool.json')],
      ['test/socket', path.join(outer, 'rules/socket.json')],
    ]);
    expect(result.files).toBe(2);
  });

  it('reads a file reached by two paths once, and survives a symlink loop', async () => {
    const dir = await rulesDir({ 'real/r.json': flatRecord() });
    await symlink(path.join(dir, 'real'), path.join(dir, 'alias'));
    await symlink(dir, path.join(dir, 'real/loop'));
    const result = await loadRules([dir, path.join(dir, 'real'), path.join(dir, 'real/r.json')]);
    expect(result.problems).toEqual([]);
    expect(result.rules).toHaveLength(1);
    expect(result.files).toBe(1);
  });

  it('reports a broken symlink as an io problem and loads the rest', async () => {
    const dir = await rulesDir({ 'ok.json': flatRecord() });
    await symlink(path.join(dir, 'gone.json'), path.join(dir, 'dangling.json'));
    const result = await loadRules([dir]);
    expect(result.rules).toHaveLength(1);
    expect(only(result.problems)).toMatchObject({ kind: 'io', file: path.join(dir, 'dangling.json') });
  });

  it('takes a rule file given directly, whatever its name', async () => {
    const dir = await rulesDir();
    const file = path.join(dir, '.odd-name.json');
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(flatRecord()));
    expect((await loadRules([file])).rules).toHaveLength(1);
  });

  it('returns rules in a stable order: by path', async () => {
    const dir = await rulesDir({
      'b.json': flatRecord({ id: 'test/b' }),
      'a/z.json': flatRecord({ id: 'test/az' }),
      'c.json': flatRecord({ id: 'test/c' }),
    });
    expect((await loadRules([dir])).rules.map((r) => r.id)).toEqual(['test/az', 'test/b', 'test/c']);
  });
});
