/**
 * The validators generated at build time (ajv standalone code, scripts/validators) give the
 * verdicts, errors and coercions of ajv compiling the same schemas at run time, and are up to
 * date with the schemas.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/config/options.js';
import * as optionValidators from '../../src/config/option-validators.generated.js';
import * as recordValidators from '../../src/kb/record-validators.generated.js';
import type { GeneratedValidator } from '../../src/kb/validate-record.js';
import { generatedValidators, optionAjv, recordAjv } from '../../scripts/validators/validators.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEADENDS = path.join(ROOT, '../shared/data/deadends/canons');

function jsonFiles(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json') && !name.endsWith('schema.json')) out.push(full);
    }
  };
  try {
    walk(dir);
  } catch {
    // ../shared is absent outside the project's machines: rules/ alone then.
  }
  return out;
}

/** Each top-level and second-level field replaced by values of other types, or removed. */
function mutations(record: Record<string, unknown>): unknown[] {
  const odd: unknown[] = [undefined, null, 0, -1, 2.5, '', 'x', 'http://e.x/a', true, [], [1, 'a'], [{}], {}, { a: 1 }];
  const out: unknown[] = [];
  for (const [key, value] of Object.entries(record)) {
    for (const v of odd) out.push({ ...record, [key]: v });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) for (const v of odd) out.push({ ...record, [key]: { ...value, [inner]: v } });
    }
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object') {
      for (const v of odd) out.push({ ...record, [key]: [v, ...value.slice(1)] });
    }
  }
  out.push({ ...record, unknown_field: 1 }, null, [], 'record', 3);
  return out;
}

function verdict(validate: GeneratedValidator, data: unknown): { ok: boolean; errors: unknown } {
  const ok = validate(structuredClone(data));
  return { ok, errors: ok ? null : validate.errors };
}

describe('generated record validators', () => {
  const runtime = recordAjv(false);
  const generated = recordValidators as unknown as Record<'flat' | 'deadends', GeneratedValidator>;
  // Without ../shared (a fresh clone) the deadends records are absent: rules/ gives them all.
  const deadends = jsonFiles(DEADENDS, 40);
  const cases: Array<['flat' | 'deadends', string]> = [
    ...jsonFiles(path.join(ROOT, 'rules'), deadends.length > 0 ? 40 : 80).map((f): ['flat', string] => ['flat', f]),
    ...deadends.map((f): ['deadends', string] => ['deadends', f]),
  ];

  it('are up to date with the schemas (npm run validators:generate)', () => {
    for (const [rel, text] of generatedValidators()) expect(readFileSync(path.join(ROOT, rel), 'utf8'), rel).toBe(text);
  });

  it('give ajv run-time verdicts and errors on real records and on every field mutated', () => {
    expect(cases.length).toBeGreaterThan(50);
    let invalid = 0;
    for (const [format, file] of cases) {
      const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const compiled = runtime.getSchema(format) as GeneratedValidator;
      for (const data of [record, ...mutations(record)]) {
        const want = verdict(compiled, data);
        const got = verdict(generated[format], data);
        // Compared as JSON (fast): the errors are plain data.
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, file).toEqual(want);
        if (!want.ok) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(1000);
  }, 120_000);

  it('give ajv run-time verdicts on arbitrary values', () => {
    fc.assert(
      fc.property(fc.constantFrom<'flat' | 'deadends'>('flat', 'deadends'), fc.anything(), (format, data) => {
        expect(verdict(generated[format], data)).toEqual(verdict(runtime.getSchema(format) as GeneratedValidator, data));
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});

describe('generated setting validators', () => {
  const runtime = optionAjv(false);
  const generated = optionValidators as unknown as Record<string, GeneratedValidator>;
  const samples: unknown[] = [
    '', 'x', ' ', '0', '1', '-1', '1.5', '100', '65535', '65536', '1e3', 'true', 'false', 'none', 'gzip', 'matched', 'info',
    'host:9092', 'bad host:1', 'a.b', '.a', 'a b', 'topic-1', 'x'.repeat(250), 0, 1, -5, 2.5, 1e9, 2 ** 31, true, false, null,
    [], ['a'], ['a', ''], ['h:1', 'h:99999'], ['a.b', '.c'], ['utf8'], ['latin1', 'bogus'], { a: 1 }, [{ a: 1 }], '{"a":1}',
  ];

  it('give ajv run-time verdicts, errors and coerced values for every setting', () => {
    for (const spec of OPTIONS) {
      const mine = generated[spec.key];
      expect(mine, spec.key).toBeTypeOf('function');
      const theirs = runtime.getSchema(spec.key) as GeneratedValidator;
      for (const v of [spec.default, ...samples]) {
        const a = { v: structuredClone(v) };
        const b = { v: structuredClone(v) };
        const okA = (mine as GeneratedValidator)(a);
        const okB = theirs(b);
        expect({ ok: okA, errors: okA ? null : mine?.errors, value: a }, `${spec.key} ${JSON.stringify(v)}`).toEqual({
          ok: okB,
          errors: okB ? null : theirs.errors,
          value: b,
        });
      }
    }
  });
});
