import { describe, expect, it } from 'vitest';
import { severityOf } from '../../src/templates/level.js';

describe('severityOf', () => {
  it.each([
    [{ level: 50 }, 'x', 'error'],
    [{ level: 40 }, 'x', 'warn'],
    [{ level: 30 }, 'ERROR in text is not read when the field says info', 'other'],
    [{ level: 'WARNING' }, 'x', 'warn'],
    [{ 'log.level': 'error' }, 'x', 'error'],
    [{ log: { level: 'warn' } }, 'x', 'warn'],
    [{ severityText: 'ERROR' }, 'x', 'error'],
    [{ severityNumber: 17 }, 'x', 'error'],
    [{ severityNumber: 9 }, 'x', 'other'],
    [{ '@l': 'Warning' }, 'x', 'warn'],
    [{ levelname: 'CRITICAL' }, 'x', 'error'],
  ] as const)('%j → %s', (event, text, want) => {
    expect(severityOf(event as Record<string, unknown>, text)).toBe(want);
  });

  it.each([
    ['2024-05-01 12:00:00 ERROR [main] boom', 'error'],
    ['java.lang.IllegalStateException: pool closed', 'error'],
    ['Traceback (most recent call last):\n  File "x.py"', 'error'],
    ['panic: runtime error: index out of range', 'error'],
    ['W 12:00 WARN disk almost full', 'warn'],
    ['INFO request served in 3 ms', 'other'],
    ['INFO ok\nat com.example.Foo.bar(Foo.java:1) ERROR', 'other'],
  ] as const)('text %j → %s', (text, want) => {
    expect(severityOf({ message: text }, text)).toBe(want);
  });
});
