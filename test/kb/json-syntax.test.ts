import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAndColumn, locateJsonError, parseJsonText } from '../../src/kb/json-syntax.js';

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1, "x", null]}')).toEqual({ ok: true, value: { a: [1, 'x', null] } });
  });

  it('ignores a leading byte order mark', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['{\n  "a": 1,\n}', 'line 3, column 1: trailing comma before "}"'],
    ['{\n  "a": 1\n  "b": 2\n}', 'line 3, column 3: expected "," or "}" after property value, found "\\""'],
    ['{\n  "a": tru\n}', 'line 2, column 11: unexpected character "\\n"'],
    ['{"a": [1, 2', 'line 1, column 12: unexpected end of input'],
    ['{a: 1}', 'line 1, column 2: expected a double-quoted property name'],
    ['{"a": "x\ty"}', 'line 1, column 9: control character in string'],
    ['{"a": "\\q"}', 'line 1, column 8: invalid escape sequence "\\q" in string'],
    ['{} {}', 'line 1, column 4: unexpected content after the JSON value'],
    ['', 'line 1, column 1: unexpected end of input'],
    ['[1,]', 'line 1, column 4: trailing comma before "]"'],
    ['{"a": 01}', 'line 1, column 8: expected "," or "}" after property value, found "1"'],
  ])('locates the error in %j', (text, expected) => {
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`invalid JSON at ${expected}`);
  });
});

describe('locateJsonError', () => {
  it('finds nothing wrong in any valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(locateJsonError(text)).toBeUndefined();
      }),
    );
  });

  it('agrees with JSON.parse on arbitrary JSON-ish text', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9a-z.eE+\-\\]{0,20}$/);
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(locateJsonError(text) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
