import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/kb/detect-format.js';

describe('detectFormat', () => {
  it('reads a top-level regex as the flat format, an error object as deadends', () => {
    expect(detectFormat({ id: 'a/b', regex: 'x' })).toEqual({ kind: 'record', format: 'flat' });
    expect(detectFormat({ id: 'a/b/c', error: { regex: 'x' } })).toEqual({ kind: 'record', format: 'deadends' });
  });

  it('treats a record missing its regex as a broken flat record, not as a stray file', () => {
    expect(detectFormat({ id: 'a/b', domain: 'a' })).toEqual({ kind: 'record', format: 'flat' });
    expect(detectFormat({ regex_variants: [] })).toEqual({ kind: 'record', format: 'flat' });
  });

  it('skips JSON Schemas and objects with no rule field', () => {
    expect(detectFormat({ $schema: 'http://json-schema.org/draft-07/schema#', properties: {} })).toMatchObject({ kind: 'not-a-record' });
    expect(detectFormat({ name: 'pkg', version: '1.0.0' })).toMatchObject({ kind: 'not-a-record' });
    expect(detectFormat({})).toMatchObject({ kind: 'not-a-record' });
  });

  it('calls anything but an object invalid', () => {
    expect(detectFormat([{ regex: 'x' }])).toEqual({ kind: 'invalid', message: 'the file holds an array; a rule file holds one JSON object' });
    expect(detectFormat(null)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('null') });
    expect(detectFormat('x')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('a string') });
  });
});
