import { describe, expect, it } from 'vitest';
import { eventLine, summarise } from '../../demo/tagged-events.js';

const fallback = new Date('2026-12-02T10:11:12.000Z');

function tagged(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    message: 'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    faultline: {
      service: 'checkout',
      source: { topic: 'logs', partition: 0, offset: '7', timestamp: String(Date.parse('2026-12-02T08:09:10.500Z')) },
      matches: [
        {
          id: 'java/hikaricp-connection-not-available',
          root_cause: 'Every connection of the pool is in use. Requests waited longer than connectionTimeout.',
          workaround: { action: 'Find the code path that holds connections. Then raise maximumPoolSize.' },
        },
        { id: 'generic/pool-timeout', root_cause: 'second match' },
      ],
      ...overrides,
    },
  });
}

describe('demo tagged events', () => {
  it('summarises the first match of a tagged event with its record time', () => {
    expect(summarise(tagged(), fallback)).toEqual({
      time: '08:09:10',
      service: 'checkout',
      errorId: 'java/hikaricp-connection-not-available',
      rootCause: 'Every connection of the pool is in use. Requests waited longer than connectionTimeout.',
      workaround: 'Find the code path that holds connections. Then raise maximumPoolSize.',
    });
  });

  it('falls back to the given time and to "unknown" when the event lacks them', () => {
    const s = summarise(tagged({ service: undefined, source: {} }), fallback);
    expect(s?.time).toBe('10:11:12');
    expect(s?.service).toBe('unknown');
  });

  it('ignores what is not a tagged event: invalid JSON, no matches, a match without id', () => {
    expect(summarise('not json', fallback)).toBeUndefined();
    expect(summarise(JSON.stringify({ message: 'x' }), fallback)).toBeUndefined();
    expect(summarise(tagged({ matches: [] }), fallback)).toBeUndefined();
    expect(summarise(tagged({ matches: [{ root_cause: 'x' }] }), fallback)).toBeUndefined();
  });

  it('prints one line: the first sentence of cause and fix, long ones cut with an ellipsis', () => {
    const s = summarise(tagged(), fallback)!;
    const line = eventLine(s);
    expect(line).not.toContain('\n');
    expect(line).toContain('cause: Every connection of the pool is in use.');
    expect(line).not.toContain('Requests waited');
    expect(line).toContain('fix: Find the code path that holds connections.');
    const long = eventLine({ ...s, rootCause: 'x'.repeat(300) });
    expect(long).toContain(`cause: ${'x'.repeat(99)}…`);
    expect(long.length).toBeLessThan(300);
  });
});
