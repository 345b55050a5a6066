import { describe, expect, it } from 'vitest';
import { TextParts } from '../../src/decode/text-parts.js';

describe('TextParts', () => {
  it('joins pieces with newlines in order', () => {
    const p = new TextParts(1000);
    p.add('request failed');
    p.add('Error: boom');
    expect(p.join()).toBe('request failed\nError: boom');
  });

  it('skips a piece another already contains, and replaces pieces a new one contains', () => {
    const p = new TextParts(1000);
    p.add('connect EADDRNOTAVAIL');
    p.add('query failed');
    p.add('Error: connect EADDRNOTAVAIL\n    at x');
    p.add('EADDRNOTAVAIL');
    expect(p.join()).toBe('query failed\nError: connect EADDRNOTAVAIL\n    at x');
    expect(p.count).toBe(2);
  });

  it('ignores empty pieces', () => {
    const p = new TextParts(10);
    p.add('');
    expect(p.join()).toBe('');
    expect(p.count).toBe(0);
  });

  it('caps the joined text at the limit', () => {
    const p = new TextParts(10);
    p.add('abcdef');
    p.add('ghijklmnop');
    expect(p.join().length).toBeLessThanOrEqual(10);
    expect(p.join().startsWith('abcdef\n')).toBe(true);
    expect(p.full).toBe(true);
    p.add('more');
    expect(p.join()).not.toContain('more');
  });
});
