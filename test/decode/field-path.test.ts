import { describe, expect, it } from 'vitest';
import { compileFieldPath, FieldPathError, resolveFieldPath, unwrapAnyValue } from '../../src/decode/field-path.js';

const get = (root: unknown, path: string) => resolveFieldPath(root, compileFieldPath(path));

describe('compileFieldPath', () => {
  it('splits on dots and keeps quoted segments whole', () => {
    expect(compileFieldPath('a.b.c').units).toBe(3);
    const p = compileFieldPath('kubernetes.labels["app.kubernetes.io/name"]');
    expect(p.units).toBe(3);
    expect(p.keys[2]?.[3]).toBe('app.kubernetes.io/name');
    expect(compileFieldPath("a['b.c'].d").keys[1]?.[2]).toBe('b.c');
    expect(compileFieldPath('["x"]["y"]').units).toBe(2);
  });

  it('refuses empty segments, bad brackets, __proto__ and overlong paths', () => {
    for (const bad of ['', '.', 'a.', '.a', 'a..b', 'a[b]', 'a["b"', 'a["b"]c', '__proto__.x']) {
      expect(() => compileFieldPath(bad), bad).toThrow(FieldPathError);
    }
    expect(() => compileFieldPath(Array.from({ length: 13 }, () => 'a').join('.'))).toThrow(/segments/);
  });
});

describe('resolveFieldPath', () => {
  it('finds nested, flat dotted and mixed spellings of the same path', () => {
    expect(get({ error: { message: 'nested' } }, 'error.message')).toBe('nested');
    expect(get({ 'error.message': 'flat' }, 'error.message')).toBe('flat');
    expect(get({ log: { 'origin.file': { name: 'mixed' } } }, 'log.origin.file.name')).toBe('mixed');
    expect(get({ 'log.origin': { file: { name: 'mixed2' } } }, 'log.origin.file.name')).toBe('mixed2');
  });

  it('prefers the longest flat key, and falls back when that branch has no value', () => {
    expect(get({ 'a.b': 'flat', a: { b: 'nested' } }, 'a.b')).toBe('flat');
    expect(get({ 'a.b': { other: 1 }, a: { b: { c: 'nested' } } }, 'a.b.c')).toBe('nested');
  });

  it('reads OTLP key/value lists and unwraps AnyValues', () => {
    const resource = { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }, { key: 'service.name', value: { stringValue: 'svc' } }] };
    expect(get({ resource }, 'resource.attributes.service.name')).toBe('svc');
    expect(get({ body: { stringValue: 'text' } }, 'body')).toBe('text');
    const kv = { body: { kvlistValue: { values: [{ key: 'message', value: { stringValue: 'inside' } }] } } };
    expect(get(kv, 'body.message')).toBe('inside');
  });

  it('does not see inherited properties', () => {
    expect(get({}, 'constructor')).toBeUndefined();
    expect(get({ a: {} }, 'a.toString')).toBeUndefined();
    expect(get({ a: 'str' }, 'a.length')).toBeUndefined();
  });

  it('returns undefined for anything that does not hold the path', () => {
    for (const root of [null, undefined, 1, 'x', [], [1, 2], { a: null }, { a: 1 }, { a: [null, 'x'] }]) {
      expect(get(root, 'a.b')).toBeUndefined();
    }
  });
});

describe('unwrapAnyValue', () => {
  it('unwraps scalar, array and kvlist values and leaves other objects alone', () => {
    expect(unwrapAnyValue({ intValue: '12' })).toBe('12');
    expect(unwrapAnyValue({ boolValue: false })).toBe(false);
    expect(unwrapAnyValue({ doubleValue: 1.5 })).toBe(1.5);
    expect(unwrapAnyValue({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } })).toEqual(['a', '1']);
    expect(unwrapAnyValue({ kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } })).toEqual([{ key: 'k', value: { stringValue: 'v' } }]);
    const plain = { message: 'm' };
    expect(unwrapAnyValue(plain)).toBe(plain);
    expect(unwrapAnyValue({ kvlistValue: 'junk' })).toBeUndefined();
  });
});
