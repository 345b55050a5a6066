import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_SERVICE_LENGTH, ServiceLabels, sanitizeService } from '../../src/metrics/service-label.js';
import { MAX_KB_LABEL_LENGTH, shortText } from '../../src/metrics/rule-catalog.js';

describe('sanitizeService', () => {
  it('keeps ordinary names as they are', () => {
    expect(sanitizeService('checkout-api')).toBe('checkout-api');
    expect(sanitizeService('订单服务')).toBe('订单服务');
  });

  it('maps missing, empty and unprintable values to "unknown"', () => {
    expect(sanitizeService(undefined)).toBe('unknown');
    expect(sanitizeService('')).toBe('unknown');
    expect(sanitizeService(' \u0000\r\n\u200b ')).toBe('unknown');
  });

  it('never returns control characters, surrounding space or more than the length cap', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const s = sanitizeService(raw);
        expect(s.length).toBeGreaterThan(0);
        expect(Array.from(s).length).toBeLessThanOrEqual(MAX_SERVICE_LENGTH);
        expect(s).not.toMatch(/\p{C}/u);
        expect(s).toBe(s.trim());
      }),
    );
  });

  it('does not split a surrogate pair at the cap', () => {
    const s = sanitizeService('😀'.repeat(100));
    expect(Array.from(s)).toHaveLength(MAX_SERVICE_LENGTH);
    expect(s).not.toMatch(/\p{Cs}/u);
  });
});

describe('ServiceLabels', () => {
  it('admits the first N distinct values and folds the rest into "other", counting each fold', () => {
    let overflow = 0;
    const labels = new ServiceLabels(2, () => (overflow += 1));
    expect(['a', 'b', 'c', 'a', undefined, 'c', 'b'].map((s) => labels.label(s))).toEqual(['a', 'b', 'other', 'a', 'unknown', 'other', 'b']);
    expect(overflow).toBe(2);
    expect(labels.distinct).toBe(2);
  });
});

describe('shortText', () => {
  it('flattens whitespace and cuts long KB text with an ellipsis', () => {
    expect(shortText('  a\n\tb  ')).toBe('a b');
    expect(shortText(undefined)).toBe('');
    const long = shortText('word '.repeat(100));
    expect(Array.from(long).length).toBeLessThanOrEqual(MAX_KB_LABEL_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
